// Patient search on the device's index: name with or without diacritics, 12-digit personal id, insurance
// number or card code, phone, date of birth.
import { foldVietnamese } from '@telehealth/domain';
import type { LocalDb, PatientRow } from '../sync/local-db';

const maxResults = 50;

export async function searchPatients(db: LocalDb, query: string): Promise<PatientRow[]> {
  const q = query.trim();
  if (!q) return db.patients.orderBy('updatedAt').reverse().limit(maxResults).toArray();
  if (/^\d{12}$/.test(q)) return db.patients.where('personalId').equals(q).toArray();
  if (/^\d{10}$/.test(q)) {
    // Ten digits: a phone number (0…) or a social insurance number.
    return db.patients.where('phone').equals(q).or('insuranceNumber').equals(q).limit(maxResults).toArray();
  }
  if (/^[A-Za-z]{2}\d{13}$/.test(q)) return db.patients.where('insuranceNumber').equals(q.toUpperCase()).toArray();
  if (/^\d{4}-\d{2}-\d{2}$/.test(q)) return db.patients.where('dateOfBirth').equals(q).limit(maxResults).toArray();
  const key = foldVietnamese(q);
  const [first] = key.split(' ');
  // The query may start at any word of the name ("dao" finds "Nguyễn Thị Đào"): the word index finds the
  // candidates, the folded name confirms the rest of the query follows.
  return db.patients
    .where('nameWords')
    .startsWith(first!)
    .distinct()
    .filter((p) => ` ${p.nameKey}`.includes(` ${key}`))
    .limit(maxResults)
    .toArray();
}

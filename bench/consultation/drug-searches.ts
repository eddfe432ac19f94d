// The drug searches of `bench:consultation` (drugs.ts), free of Node so that Chromium runs them too: a 20,000-drug
// list generated from a fixed seed and the device's own search, each keystroke of 20 typed names one timed search.
import { DrugSearch, type DrugEntry } from '@telehealth/catalogs';
import { seededRandom } from '@telehealth/domain';

const ingredients = ['Paracetamol', 'Amoxicilin', 'Cefuroxim', 'Azithromycin', 'Ibuprofen', 'Metformin', 'Amlodipin', 'Losartan', 'Omeprazol', 'Salbutamol', 'Prednisolon', 'Loratadin', 'Cetirizin', 'Vitamin C', 'Sắt sulfat', 'Acid folic', 'Oresol', 'Kẽm gluconat', 'Metronidazol', 'Ciprofloxacin', 'Gliclazid', 'Enalapril', 'Atorvastatin', 'Diclofenac', 'Domperidon', 'Alverin', 'Berberin', 'Dexamethason', 'Clorpheniramin', 'Cotrimoxazol'];
const strengths = ['5mg', '10mg', '20mg', '50mg', '100mg', '250mg', '500mg', '850mg', '1g', '2mg/5ml'];
const forms = ['Viên nén', 'Viên nang cứng', 'Viên sủi', 'Thuốc bột', 'Siro', 'Thuốc tiêm', 'Dung dịch uống'];

/** The searches of the benchmark, each timed (ms): 20 drug names typed letter by letter over `count` drugs, from a fixed seed. */
export function timeDrugSearches(count = 20_000): number[] {
  const random = seededRandom(2027);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const entries: DrugEntry[] = Array.from({ length: count }, (_, i) => {
    const ingredient = pick(ingredients);
    return { code: `40.${i}`, activeIngredient: ingredient, name: `${ingredient.split(' ')[0]} ${String.fromCharCode(65 + (i % 26))}${i}`, strength: pick(strengths), dosageForm: pick(forms), unit: 'Viên', route: 'Uống' };
  });
  const search = new DrugSearch(entries);
  const times: number[] = [];
  for (let round = 0; round < 20; round++) {
    const word = pick(ingredients).toLowerCase();
    for (let n = 1; n <= Math.min(word.length, 10); n++) {
      const t0 = performance.now();
      search.search(word.slice(0, n), 20);
      times.push(performance.now() - t0);
    }
  }
  return times;
}


// The i18n catalog: every string a user sees, Vietnamese first, English beside it.

export const locales = ['vi', 'en'] as const;
export type Locale = (typeof locales)[number];

type Entry = { vi: string; en: string };

export const messages = {
  'app.name': { vi: 'Y tế từ xa xã', en: 'Commune telehealth' },
  'app.tagline': {
    vi: 'Tư vấn khám chữa bệnh từ xa cho trạm y tế xã, kể cả khi mất mạng',
    en: 'Teleconsultation for commune health stations, even without a network'
  },
  'nav.home': { vi: 'Trang chủ', en: 'Home' },
  'nav.settings': { vi: 'Cài đặt', en: 'Settings' },
  'nav.login': { vi: 'Đăng nhập', en: 'Log in' },
  'nav.logout': { vi: 'Đăng xuất', en: 'Log out' },
  'nav.main': { vi: 'Điều hướng chính', en: 'Main navigation' },
  'lang.label': { vi: 'Ngôn ngữ', en: 'Language' },
  'lang.vi': { vi: 'Tiếng Việt', en: 'Vietnamese' },
  'lang.en': { vi: 'Tiếng Anh', en: 'English' },
  'net.online': { vi: 'Có mạng', en: 'Online' },
  'net.offline': { vi: 'Mất mạng: vẫn làm việc bình thường, dữ liệu được lưu trên máy', en: 'Offline: keep working, data is saved on this device' },
  'update.available': { vi: 'Đã có phiên bản mới của ứng dụng.', en: 'A new version of the app is available.' },
  'update.reload': { vi: 'Cập nhật ngay', en: 'Update now' },
  'update.later': { vi: 'Để sau', en: 'Later' },
  'home.welcome': { vi: 'Xin chào, {name}', en: 'Hello, {name}' },
  'home.signedOut': { vi: 'Bạn chưa đăng nhập.', en: 'You are not logged in.' },
  'home.role': { vi: 'Vai trò', en: 'Role' },
  'home.unit': { vi: 'Đơn vị', en: 'Unit' },
  'role.station_worker': { vi: 'Cán bộ y tế trạm y tế xã', en: 'Commune station health worker' },
  'role.doctor': { vi: 'Bác sĩ tuyến trên', en: 'Upper-level doctor' },
  'role.patient': { vi: 'Người bệnh / người dân', en: 'Patient / citizen' },
  'role.admin': { vi: 'Cán bộ đầu mối CNTT', en: 'Unit admin / IT focal point' },
  'login.title': { vi: 'Đăng nhập', en: 'Log in' },
  'login.username': { vi: 'Tên đăng nhập hoặc số điện thoại', en: 'Username or phone number' },
  'login.password': { vi: 'Mật khẩu', en: 'Password' },
  'login.submit': { vi: 'Đăng nhập', en: 'Log in' },
  'login.busy': { vi: 'Đang đăng nhập…', en: 'Logging in…' },
  'login.required': { vi: 'Vui lòng nhập tên đăng nhập và mật khẩu.', en: 'Please enter your username and password.' },
  'error.invalid_credentials': { vi: 'Sai tên đăng nhập hoặc mật khẩu.', en: 'Wrong username or password.' },
  'error.unauthorized': { vi: 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.', en: 'Your session has expired, please log in again.' },
  'error.bad_request': { vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'The request was not valid.' },
  'error.network': {
    vi: 'Không kết nối được máy chủ. Khi mất mạng, chỉ đăng nhập được tài khoản đã từng đăng nhập trên máy này, đúng mật khẩu.',
    en: 'Cannot reach the server. Without a network, only an account that has logged in on this device before can log in, with its password.'
  },
  'login.offline': { vi: 'Đã đăng nhập khi mất mạng. Dữ liệu sẽ đồng bộ sau khi đăng nhập lại lúc có mạng.', en: 'Logged in offline. Data syncs after you log in again while online.' },
  'error.internal': { vi: 'Máy chủ gặp lỗi, vui lòng thử lại sau.', en: 'The server had an error, please try again later.' },
  'settings.title': { vi: 'Cài đặt', en: 'Settings' },
  'storage.short': {
    vi: 'Bộ nhớ trên máy sắp đầy. Hãy đồng bộ khi có mạng và giải phóng dung lượng máy, nếu không dữ liệu mới có thể không lưu được.',
    en: 'Storage on this device is nearly full. Sync when online and free some space, or new data may not be saved.'
  },
  'settings.storage': { vi: 'Lưu trữ trên máy', en: 'Storage on this device' },
  'settings.persisted': { vi: 'Dữ liệu được lưu bền vững (trình duyệt sẽ không tự xoá).', en: 'Storage is persistent (the browser will not evict it).' },
  'settings.notPersisted': { vi: 'Trình duyệt có thể xoá dữ liệu khi máy thiếu dung lượng.', en: 'The browser may evict data when the device runs short of space.' },
  'settings.usage': { vi: 'Đã dùng {used} trên {quota}', en: '{used} used of {quota}' },
  'settings.version': { vi: 'Phiên bản ứng dụng', en: 'App version' },
  'settings.offlineReady': { vi: 'Ứng dụng đã sẵn sàng dùng khi mất mạng.', en: 'The app is ready to work offline.' },
  'settings.offlineNotReady': { vi: 'Ứng dụng chưa được lưu để dùng khi mất mạng.', en: 'The app is not yet stored for offline use.' },
  'state.loading': { vi: 'Đang tải…', en: 'Loading…' },
  'nav.patients': { vi: 'Người bệnh', en: 'Patients' },
  'sync.offline': { vi: 'Chưa kết nối máy chủ', en: 'Not connected to the server' },
  'sync.syncing': { vi: 'Đang đồng bộ…', en: 'Syncing…' },
  'sync.synced': { vi: 'Đã đồng bộ', en: 'Synced' },
  'sync.updateRequired': { vi: 'Cần cập nhật ứng dụng để đồng bộ', en: 'Update the app to sync' },
  'sync.loginRequired': { vi: 'Cần đăng nhập lại để đồng bộ', en: 'Log in again to sync' },
  'sync.pending': { vi: '{count} thay đổi chờ gửi', en: '{count} changes waiting to be sent' },
  'sync.refused': { vi: '{count} thay đổi bị máy chủ từ chối', en: '{count} changes refused by the server' },
  'sync.lastSync': { vi: 'Lần đồng bộ gần nhất: {time}', en: 'Last synced: {time}' },
  'patients.title': { vi: 'Người bệnh', en: 'Patients' },
  'patients.search': { vi: 'Tìm người bệnh', en: 'Find a patient' },
  'patients.searchHint': {
    vi: 'Họ tên (có dấu hoặc không), số CCCD, số BHYT, số điện thoại, ngày sinh',
    en: 'Name (with or without accents), ID number, insurance number, phone, date of birth'
  },
  'patients.empty': { vi: 'Chưa có người bệnh nào trên máy này.', en: 'No patients on this device yet.' },
  'patients.noMatch': { vi: 'Không tìm thấy người bệnh phù hợp.', en: 'No patient matches.' },
  'patients.new': { vi: 'Đăng ký người bệnh mới', en: 'Register a new patient' },
  'patients.save': { vi: 'Lưu', en: 'Save' },
  'patients.duplicate': {
    vi: 'Có thể trùng người bệnh đã có (cùng họ tên, ngày sinh và xã). Kiểm tra trước khi lưu:',
    en: 'This may be a patient already registered (same name, date of birth and commune). Check before saving:'
  },
  'patients.saveAnyway': { vi: 'Đây là người khác, vẫn lưu', en: 'A different person: save anyway' },
  'patients.saved': { vi: 'Đã lưu trên máy; sẽ đồng bộ khi có mạng.', en: 'Saved on this device; it syncs when online.' },
  'patient.fullName': { vi: 'Họ tên người bệnh', en: 'Patient full name' },
  'patient.gender': { vi: 'Giới tính', en: 'Gender' },
  'patient.male': { vi: 'Nam', en: 'Male' },
  'patient.female': { vi: 'Nữ', en: 'Female' },
  'patient.dateOfBirth': { vi: 'Ngày sinh', en: 'Date of birth' },
  'patient.phone': { vi: 'Số điện thoại', en: 'Phone number' },
  'validation.required': { vi: 'Bắt buộc nhập.', en: 'Required.' },
  'validation.wrong_type': { vi: 'Giá trị không đúng kiểu.', en: 'Wrong kind of value.' },
  'validation.too_long': { vi: 'Quá dài.', en: 'Too long.' },
  'validation.bad_format': { vi: 'Không đúng định dạng.', en: 'Wrong format.' },
  'validation.out_of_range': { vi: 'Ngoài khoảng cho phép.', en: 'Out of range.' },
  'validation.not_integer': { vi: 'Phải là số nguyên.', en: 'Must be a whole number.' },
  'validation.bad_date': { vi: 'Ngày không hợp lệ.', en: 'Not a valid date.' },
  'validation.not_allowed': { vi: 'Giá trị không được phép.', en: 'Value not allowed.' },
  'validation.too_many': { vi: 'Quá nhiều mục.', en: 'Too many items.' },
  'validation.unknown_field': { vi: 'Trường không có trong mẫu.', en: 'Field not on the form.' }
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof messages;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}

/** Looks a message up and fills `{name}` placeholders. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text: string = messages[key][locale];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

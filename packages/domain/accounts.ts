// @telehealth/domain/accounts: roles and the password rule alone. The app's login, register and setup pages import
// this entry rather than the package's index, whose record modules bring Yjs (≈ 30 KB brotli) into those pages.
export { Role, roles, isRole } from './roles';
export { PasswordProblem, passwordProblem, passwordMinLength } from './passwords';

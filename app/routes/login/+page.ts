// The login page is prerendered with its content (not only the empty shell): a first visit over 2G shows the
// form as soon as the HTML arrives, and what is typed before the scripts start is kept when they do.
export const ssr = true;

/** The body of the password reset email. */
export function resetEmail(link: string): string {
  // FIXME AB#10 Outlook shows these tags as text: send multipart/alternative with a plain-text part
  return `<p>Someone asked to reset the password of your Contoso account.</p>
<p><a href="${link}">Choose a new password</a> (the link works once, for one hour).</p>
<p>If it was not you, ignore this email.</p>`;
}

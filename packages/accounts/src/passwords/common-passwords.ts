/**
 * Passwords that top every published leak-frequency list, plus the base words they are built
 * from. The policy lower-cases a candidate and also tries it with trailing digits and symbols
 * removed, so "Password2024!" is caught through "password".
 */
const WHOLE = `
1234567890 0123456789 12345678910 1q2w3e4r5t 1qaz2wsx3edc qwertyuiop qwertyuiop1 1234qwer
asdfghjkl1 zxcvbnm123 password123 password1234 iloveyou12 qwerty12345 abcdefghij abc1234567
aaaaaaaaaa 1111111111 0000000000 9876543210 1029384756 qazwsxedcrfv letmein123 welcome123
changeme123 administrator passw0rd123 football123 baseball123 superman123 iloveyou123
princess123 sunshine123 trustno1234 monkey12345 dragon12345 master12345 starwars123
`;

const BASE_WORDS = `
password passwort passw0rd p@ssword p@ssw0rd motdepasse contrasena wachtwoord salasana
qwerty qwertz azerty asdfgh asdfghjkl zxcvbnm qazwsx 1qaz2wsx qwerty123 abc123 abcdef
iloveyou letmein welcome admin administrator root login changeme default secret guest
monkey dragon master shadow sunshine princess football baseball soccer hockey basketball
superman batman trustno1 starwars pokemon charlie michael jennifer jordan hunter ranger
freedom whatever computer internet samsung google spur spuranalytics analytics
summer winter spring autumn january february december hello hellohello chocolate
liverpool chelsea arsenal barcelona killer matrix mustang harley hannah jessica
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(WHOLE.split(/\s+/).filter(Boolean));
export const COMMON_BASE_WORDS: ReadonlySet<string> = new Set(BASE_WORDS.split(/\s+/).filter(Boolean));

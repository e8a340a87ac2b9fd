/**
 * What a secret looks like in free text (command lines, diffs, messages). Each pattern keeps its
 * first group (the key or flag) and replaces the rest of the match with the mask.
 */
const KEY = String.raw`[\w.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|[_-]key|[_-]pass)`;
const VALUE = String.raw`(?:"[^"\n]*"|'[^'\n]*'|[^\s"'&;,]+)`;

export const textPatterns: RegExp[] = [
  // password=x, "token": "x", api_key: x (env files, query strings, JSON, YAML)
  new RegExp(String.raw`(\b${KEY}["']?\s*[=:]\s*)${VALUE}`, 'gi'),
  // --password x, --password=x, --api-key x
  new RegExp(String.raw`(\s--?${KEY}(?:=|\s+))${VALUE}`, 'gi'),
  // Authorization: Bearer x / Basic x / x
  /(\bAuthorization["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|Token|Digest)\s+)?)[^\s"']+/gi,
  // a bare bearer token (one with a digit or symbol in it, so prose like "Bearer auth" stays)
  /(\bBearer\s+)(?=[A-Za-z]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{8,}/g,
  // mysql -psecret (the password glued to -p) on a mysql/mariadb command line
  /(\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n]*?\s-p)(?=[^\s-])(?:"[^"\n]*"|'[^'\n]*'|\S+)/g,
  // scheme://user:password@host, scheme://:password@host (redis)
  /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]+(?=@)/gi,
];

/** Whole-match secrets: password hashes (htpasswd bcrypt/apr1/SHA, crypt(3)) and private keys. */
export const wholePatterns: RegExp[] = [
  /\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}/g,
  /\$apr1\$[./A-Za-z0-9]{1,8}\$[./A-Za-z0-9]{22}/g,
  /\$[156]\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{22,86}/g,
  /\{SHA\}[A-Za-z0-9+/]{27}=/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

/** An argv element that is a secret-taking flag, whose value is the next element. */
export const secretFlag = new RegExp(String.raw`^--?${KEY}$`, 'i');

/** A mysql-family program, which takes its password glued to `-p`. */
export const mysqlProgram = /(?:^|\/)(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)$/;

/** Object keys whose string value is a secret whatever it looks like. */
export const secretKey = /(?:password|passwd|secret|token|api[_-]?key|private[_-]?key)$/i;

// A small lexer for query texts the server shows (pg_stat_activity, pg_stat_statements): enough to
// count statements, find the first keyword and see $n parameters outside literals and comments.
// It is a first, clear refusal; the statement is then sent over the extended protocol, which
// refuses more than one command whatever this lexer thinks.

export interface SqlTextShape {
  /** Statements with something other than comments and whitespace in them. */
  statements: number;
  /** The first statement's first keyword, lower case ("select", "update", ...), or null. */
  keyword: string | null;
  /** A $n parameter appears outside literals and comments. */
  hasParameters: boolean;
  /** A literal, quoted identifier or comment is not closed (a text cut short by the server). */
  unterminated: boolean;
}

export function sqlTextShape(text: string): SqlTextShape {
  let statements = 0;
  let current = false; // the current statement has a token
  let keyword: string | null = null;
  let hasParameters = false;
  let i = 0;
  const n = text.length;
  const token = () => {
    if (!current) statements++;
    current = true;
  };
  while (i < n) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === "-" && next === "-") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? n : end + 1;
    } else if (c === "/" && next === "*") {
      let depth = 1; // PostgreSQL's block comments nest
      i += 2;
      while (i < n && depth > 0) {
        const pair = text.slice(i, i + 2);
        if (pair === "/*" || pair === "*/") {
          depth += pair === "/*" ? 1 : -1;
          i += 2;
        } else i++;
      }
      if (depth > 0) return { statements, keyword, hasParameters, unterminated: true };
    } else if (c === ";") {
      current = false;
      i++;
    } else if (c === "'" || c === '"') {
      token();
      // E'...' allows backslash escapes; standard strings and identifiers only doubled quotes.
      const escapes = c === "'" && /[eE]/.test(text[i - 1] ?? "") && !/[\w$]/.test(text[i - 2] ?? "");
      i++;
      for (;;) {
        if (i >= n) return { statements, keyword, hasParameters, unterminated: true };
        if (escapes && text[i] === "\\") i += 2;
        else if (text[i] === c && text[i + 1] === c) i += 2;
        else if (text[i] === c) break;
        else i++;
      }
      i++;
    } else if (c === "$" && /\d/.test(next ?? "") && !/[\w$]/.test(text[i - 1] ?? "")) {
      token();
      hasParameters = true;
      i++;
      while (i < n && /\d/.test(text[i] as string)) i++;
    } else if (c === "$" && !/[\w$]/.test(text[i - 1] ?? "")) {
      const tag = /^\$([A-Za-z_][\w]*)?\$/.exec(text.slice(i));
      if (!tag) {
        token();
        i++;
        continue;
      }
      token();
      const end = text.indexOf(tag[0], i + tag[0].length);
      if (end === -1) return { statements, keyword, hasParameters, unterminated: true };
      i = end + tag[0].length;
    } else if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][\w$]*/.exec(text.slice(i, i + 64))?.[0] ?? c;
      if (!current && statements === 0 && keyword === null) keyword = word.toLowerCase();
      token();
      i += word.length;
      // a word running past 64 characters: skip the rest of it
      while (i < n && /[\w$]/.test(text[i] as string)) i++;
    } else {
      if (c !== "(" || statements > 0) token();
      i++;
    }
  }
  return { statements, keyword, hasParameters, unterminated: false };
}

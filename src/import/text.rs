//! A pasted response, read into a tree of values. Venue documentation
//! prints its examples with `//` comments, a trailing or doubled comma, a
//! comma left out at a line's end, or `....` for "and so on"; a trader copies
//! them as they are. Those are read past; anything else that is not JSON is
//! refused with where and why. Numbers keep their text (no float ever holds
//! a figure), and a paste is bounded in size and depth.

use crate::engine::scenario::limits;
use rust_decimal::Decimal;

/// Deeper than any venue's response: a paste nested further is refused.
pub const MAX_DEPTH: usize = 64;

/// A value of a pasted response. Object keys keep their order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, as written.
    Num(String),
    Str(String),
    Arr(Vec<Value>),
    Obj(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Arr(items) => Some(items),
            _ => None,
        }
    }

    /// Text: a string, or a number's text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Num(s) => Some(s),
            _ => None,
        }
    }

    /// A decimal, from a number or a string holding one; `None` for an
    /// empty string (the venues' "not applicable") or anything else.
    pub fn decimal(&self) -> Option<Decimal> {
        let t = self.text()?.trim();
        if t.is_empty() {
            return None;
        }
        crate::engine::decimal_text::parse_decimal(t)
    }

    /// `true`/`false`, or the strings `"true"`/`"false"` (Binance writes both).
    pub fn boolean(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::Str(s) if s == "true" => Some(true),
            Value::Str(s) if s == "false" => Some(false),
            _ => None,
        }
    }
}

/// Reads a paste into a [`Value`], or says where it stops being JSON.
pub fn read(text: &str) -> Result<Value, String> {
    if text.len() > limits::MAX_BYTES {
        return Err(format!(
            "it is {} bytes, more than the {} a response can be",
            text.len(),
            limits::MAX_BYTES
        ));
    }
    let mut r = Reader {
        s: text.as_bytes(),
        i: 0,
    };
    r.skip();
    if r.i >= r.s.len() {
        return Err("it is empty".into());
    }
    let v = r.value(0)?;
    r.skip();
    if r.i < r.s.len() {
        return Err(r.error("there is more after the end of the response"));
    }
    Ok(v)
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// `line L, column C` of the current place.
    fn place(&self) -> String {
        let before = &self.s[..self.i.min(self.s.len())];
        let line = before
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            .saturating_add(1);
        let column = before
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .count()
            .saturating_add(1);
        format!("line {line}, column {column}")
    }

    fn error(&self, what: &str) -> String {
        format!("not JSON at {}: {what}", self.place())
    }

    /// Past whitespace, comments and elisions (`...`, `…`).
    fn skip(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.i = self.i.saturating_add(1),
                Some(b'/') if self.s.get(self.i.saturating_add(1)) == Some(&b'/') => {
                    while self.peek().is_some_and(|b| b != b'\n') {
                        self.i = self.i.saturating_add(1);
                    }
                }
                Some(b'/') if self.s.get(self.i.saturating_add(1)) == Some(&b'*') => {
                    self.i = self.i.saturating_add(2);
                    while self.i < self.s.len()
                        && !(self.s[self.i] == b'*'
                            && self.s.get(self.i.saturating_add(1)) == Some(&b'/'))
                    {
                        self.i = self.i.saturating_add(1);
                    }
                    self.i = self.i.saturating_add(2).min(self.s.len());
                }
                Some(b'.') if self.s.get(self.i.saturating_add(1)) == Some(&b'.') => {
                    while self.peek() == Some(b'.') {
                        self.i = self.i.saturating_add(1);
                    }
                }
                // "…", U+2026, in UTF-8.
                Some(0xE2)
                    if self
                        .s
                        .get(self.i.saturating_add(1)..self.i.saturating_add(3))
                        == Some(&[0x80, 0xA6][..]) =>
                {
                    self.i = self.i.saturating_add(3);
                }
                _ => return,
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "it is nested deeper than {MAX_DEPTH} levels, which no venue's response is"
            ));
        }
        self.skip();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::Str),
            Some(_) => self.bare(),
            None => Err(self.error("it ends where a value should be")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        self.i = self.i.saturating_add(1);
        let mut members = Vec::new();
        loop {
            self.skip();
            match self.peek() {
                Some(b'}') => {
                    self.i = self.i.saturating_add(1);
                    return Ok(Value::Obj(members));
                }
                // A doubled or leading comma.
                Some(b',') => self.i = self.i.saturating_add(1),
                Some(b'"') => {
                    let key = self.string()?;
                    self.skip();
                    if self.peek() != Some(b':') {
                        return Err(self.error(&format!("a ':' should follow the key \"{key}\"")));
                    }
                    self.i = self.i.saturating_add(1);
                    let v = self.value(depth.saturating_add(1))?;
                    members.push((key, v));
                    // A missing comma before the next key is read past.
                }
                Some(_) => return Err(self.error("a key in double quotes, or '}', should be here")),
                None => return Err(self.error("it ends inside an object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        self.i = self.i.saturating_add(1);
        let mut items = Vec::new();
        loop {
            self.skip();
            match self.peek() {
                Some(b']') => {
                    self.i = self.i.saturating_add(1);
                    return Ok(Value::Arr(items));
                }
                Some(b',') => self.i = self.i.saturating_add(1),
                Some(_) => items.push(self.value(depth.saturating_add(1))?),
                None => return Err(self.error("it ends inside a list")),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let start = self.i;
        self.i = self.i.saturating_add(1);
        let mut out = String::new();
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.i = self.i.saturating_add(1);
                    return Ok(out);
                }
                Some(b'\\') => {
                    let esc = self.s.get(self.i.saturating_add(1)).copied();
                    self.i = self.i.saturating_add(2);
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'n') => out.push('\n'),
                        Some(b't') => out.push('\t'),
                        Some(b'r') => out.push('\r'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'u') => {
                            let hex = self
                                .s
                                .get(self.i..self.i.saturating_add(4))
                                .and_then(|h| std::str::from_utf8(h).ok())
                                .and_then(|h| u32::from_str_radix(h, 16).ok());
                            self.i = self.i.saturating_add(4);
                            out.push(hex.and_then(char::from_u32).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err(self.error("a '\\' escape that JSON does not have")),
                    }
                }
                Some(_) => {
                    // One UTF-8 character, whole.
                    let rest = &self.s[self.i..];
                    let len = match rest[0] {
                        b if b < 0x80 => 1,
                        b if b >= 0xF0 => 4,
                        b if b >= 0xE0 => 3,
                        _ => 2,
                    };
                    let ch = rest.get(..len).and_then(|c| std::str::from_utf8(c).ok());
                    match ch {
                        Some(c) => out.push_str(c),
                        None => out.push('\u{FFFD}'),
                    }
                    self.i = self.i.saturating_add(len);
                }
                None => {
                    self.i = start;
                    return Err(self.error("a string that is never closed"));
                }
            }
        }
    }

    /// A number, `true`, `false` or `null`.
    fn bare(&mut self) -> Result<Value, String> {
        let start = self.i;
        while self.peek().is_some_and(|b| {
            !matches!(
                b,
                b' ' | b'\t'
                    | b'\n'
                    | b'\r'
                    | b','
                    | b':'
                    | b'{'
                    | b'}'
                    | b'['
                    | b']'
                    | b'"'
                    | b'/'
            )
        }) {
            self.i = self.i.saturating_add(1);
        }
        let word = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
        match word {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            "null" => Ok(Value::Null),
            w if !w.is_empty()
                && w.bytes().all(|b| {
                    b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')
                })
                && w.bytes().any(|b| b.is_ascii_digit()) =>
            {
                Ok(Value::Num(w.to_string()))
            }
            w => {
                self.i = start;
                let shown: String = w.chars().take(20).collect();
                Err(self.error(&format!("\"{shown}\" is not a JSON value")))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_docs_example_reads_past_comments_doubled_and_missing_commas_and_elisions() {
        let text = r#"[
          {
            "symbol": "BTCUSDT", // a comment
            "notional": "0",,
            "leverage": 21,
            "a": "1"
            "b": [1, 2, ],
            /* block */ "c": null
          },
          ....
        ]"#;
        let v = read(text).expect("read");
        let first = &v.as_array().expect("a list")[0];
        assert_eq!(first.get("symbol").and_then(Value::text), Some("BTCUSDT"));
        assert_eq!(first.get("leverage"), Some(&Value::Num("21".into())));
        assert_eq!(
            first.get("b").and_then(Value::as_array).map(<[Value]>::len),
            Some(2)
        );
        assert_eq!(first.get("a").and_then(Value::decimal), Some(Decimal::ONE));
        assert_eq!(first.get("c"), Some(&Value::Null));
    }

    #[test]
    fn what_is_not_json_is_refused_with_its_place() {
        for (text, says) in [
            ("", "empty"),
            (
                "{\"a\" 1}",
                "line 1, column 6: a ':' should follow the key \"a\"",
            ),
            ("{\"a\": tru}", "\"tru\" is not a JSON value"),
            ("{\"a\": \"b", "never closed"),
            ("[1, 2", "ends inside a list"),
            ("{} {}", "more after the end"),
            ("<html>", "is not a JSON value"),
        ] {
            let e = read(text).expect_err(text);
            assert!(e.contains(says), "{text}: {e}");
        }
        let deep = "[".repeat(MAX_DEPTH + 2);
        assert!(read(&deep).expect_err("deep").contains("nested deeper"));
    }

    #[test]
    fn a_number_keeps_its_text_and_reads_as_that_decimal() {
        let v = read(r#"{"mmr": 0.0065, "e": 1e-9, "s": "", "t": "true"}"#).expect("read");
        assert_eq!(
            v.get("mmr").and_then(Value::decimal),
            Some(Decimal::new(65, 4))
        );
        assert_eq!(
            v.get("e").and_then(Value::decimal),
            Some(Decimal::new(1, 9))
        );
        assert_eq!(v.get("s").and_then(Value::decimal), None);
        assert_eq!(v.get("t").and_then(Value::boolean), Some(true));
    }
}

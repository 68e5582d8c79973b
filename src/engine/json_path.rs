//! Which field of a JSON text an error is about (`positions[0].qty`), found
//! by scanning the text up to serde_json's error position.
//!
//! Why not track the path while reading (serde_path_to_error): that wraps
//! every value of every scenario read in bookkeeping, and puts a second copy
//! of the whole reader in the app (its size: `docs/performance.md`). A text
//! that fails is rare and small; scanning it once more, only then, costs
//! nothing the rest of the time.

/// The path to the value being read at `line` and `column` (serde_json's:
/// one-based line, bytes into it) in `text`: serde_json places an error just
/// after the value it refuses (an object missing a field: after its `}`), or
/// just after the opening bracket of a container of the wrong type.
/// `variant`: the error is about an enum's variant, which an object names by
/// its one key (`{"quanto": …}`): the path is the enum's field, not the key.
pub fn path_at(text: &str, line: usize, column: usize, variant: bool) -> String {
    let offset = offset_of(text, line, column);
    let bytes = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    // The last byte read that was not white space.
    let mut last = b' ';
    while i < offset {
        let Some(&b) = bytes.get(i) else { break };
        if !b.is_ascii_whitespace() {
            last = b;
        }
        match b {
            b'{' => frames.push(Frame::Object {
                key: None,
                after_colon: false,
            }),
            b'[' => frames.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { key, after_colon }) => {
                    *key = None;
                    *after_colon = false;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object { after_colon, .. }) = frames.last_mut() {
                    *after_colon = true;
                }
            }
            b'"' => {
                let (text, end) = string_at(bytes, i + 1, offset);
                if let Some(Frame::Object {
                    key,
                    after_colon: false,
                }) = frames.last_mut()
                {
                    *key = Some(text);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // An error right after an opening bracket is about the container itself
    // (serde_json reads the bracket, then the type is refused): its field.
    let a_variants_key = matches!(
        frames.last(),
        Some(Frame::Object {
            key: Some(_),
            after_colon: false
        })
    );
    if matches!(last, b'{' | b'[') || (variant && a_variants_key) {
        frames.pop();
    }

    let mut path = String::new();
    for frame in &frames {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { .. } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

enum Frame {
    /// `key`: the last key read in it, until a comma.
    Object {
        key: Option<String>,
        after_colon: bool,
    },
    Array {
        index: usize,
    },
}

/// The byte offset of serde_json's `line` and `column`, at most the text's length.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(at, _)| at + 1)
    };
    start.saturating_add(column).min(text.len())
}

/// The string whose text starts at `from` (after its opening quote),
/// unescaped, and where scanning goes on (after its closing quote, or `limit`).
fn string_at(bytes: &[u8], from: usize, limit: usize) -> (String, usize) {
    let mut raw = Vec::new();
    let mut i = from;
    while i < limit {
        match bytes.get(i) {
            Some(b'"') => return (unescape(&raw), i + 1),
            Some(b'\\') => {
                raw.extend(bytes.get(i..(i + 2).min(limit)).unwrap_or_default());
                i += 2;
            }
            Some(&b) => {
                raw.push(b);
                i += 1;
            }
            None => break,
        }
    }
    (unescape(&raw), limit)
}

/// A JSON string's text from its raw bytes (quotes excluded): serde_json
/// reads the key the same way, so a path names it as it was meant.
fn unescape(raw: &[u8]) -> String {
    let quoted = [&b"\""[..], raw, &b"\""[..]].concat();
    serde_json::from_slice::<String>(&quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
}

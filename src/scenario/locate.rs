//! Finds the line and column of a JSON path (`machines[2].domain`) in a document that
//! has already parsed, so that semantic errors can name the place in the file.

/// One segment of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Option<Vec<Segment<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let end = stripped.find(']')?;
            out.push(Segment::Index(stripped[..end].parse().ok()?));
            rest = &stripped[end + 1..];
        }
    }
    Some(out)
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn blank(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.blank();
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Skips a string whose opening quote is at the cursor; returns the range of its raw
    /// contents.
    fn string(&mut self) -> Option<std::ops::Range<usize>> {
        self.eat(b'"')?;
        let start = self.at;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(start..self.at - 1);
                }
                _ => self.at += 1,
            }
        }
    }

    /// Skips one value of any kind, without recursion.
    fn value(&mut self) -> Option<()> {
        self.blank();
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                }
                b',' | b':' if depth > 0 => self.at += 1,
                b' ' | b'\t' | b'\r' | b'\n' if depth > 0 => self.at += 1,
                _ => {
                    if depth == 0 {
                        while matches!(self.peek(), Some(c) if !b",}] \t\r\n".contains(&c)) {
                            self.at += 1;
                        }
                    } else {
                        self.at += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

/// The 1-based line and column of the value at `path` in `text`, if the path exists.
pub(crate) fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let mut cursor = Cursor {
        bytes: text.as_bytes(),
        at: 0,
    };
    for segment in segments(path)? {
        match segment {
            Segment::Key(key) => {
                cursor.eat(b'{')?;
                loop {
                    cursor.blank();
                    let name = cursor.string()?;
                    cursor.eat(b':')?;
                    if cursor.bytes.get(name) == Some(key.as_bytes()) {
                        break;
                    }
                    cursor.value()?;
                    cursor.eat(b',')?;
                }
            }
            Segment::Index(index) => {
                cursor.eat(b'[')?;
                for _ in 0..index {
                    cursor.value()?;
                    cursor.eat(b',')?;
                }
            }
        }
    }
    cursor.blank();
    let before = text.get(..cursor.at)?;
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    Some((line, column))
}

#[cfg(test)]
mod tests {
    use super::locate;

    #[test]
    fn finds_nested_values() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\": {\"d\": [true,\n false]}\n}";
        assert_eq!(locate(text, "a"), Some((2, 8)));
        assert_eq!(locate(text, "a[1].b"), Some((2, 18)));
        assert_eq!(locate(text, "c.d[1]"), Some((4, 2)));
        assert_eq!(locate(text, "c.e"), None);
        assert_eq!(locate(text, "a[5]"), None);
    }
}

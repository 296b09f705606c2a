//! PostgreSQL array literals: a column of many rows sent as one text value, cast to an array
//! and `unnest`ed on the server (bulk writes; the money engine's groups).

use crate::Val;

/// A PostgreSQL array literal (`{"a","b",NULL}`, `{1,2,NULL}`) built one element at a time.
#[derive(Default)]
pub(crate) struct ArrayLiteral(String);

impl ArrayLiteral {
    fn separate(&mut self) {
        self.0.push(if self.0.is_empty() { '{' } else { ',' });
    }

    /// A text element, quoted, with `"` and `\` escaped.
    pub(crate) fn text(&mut self, value: Option<&str>) {
        self.separate();
        match value {
            Some(text) => {
                self.0.push('"');
                for c in text.chars() {
                    if matches!(c, '"' | '\\') {
                        self.0.push('\\');
                    }
                    self.0.push(c);
                }
                self.0.push('"');
            }
            None => self.0.push_str("NULL"),
        }
    }

    pub(crate) fn int(&mut self, value: Option<i64>) {
        self.separate();
        match value {
            Some(n) => self.0.push_str(&n.to_string()),
            None => self.0.push_str("NULL"),
        }
    }

    pub(crate) fn finish(mut self) -> Val {
        if self.0.is_empty() {
            self.0.push('{');
        }
        self.0.push('}');
        Val::Text(Some(self.0))
    }
}

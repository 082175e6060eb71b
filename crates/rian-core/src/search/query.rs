//! The query language a person types: words, `"phrases"`, `AND` / `OR` / `NOT` (or `-`),
//! parentheses, and `prefix*`. Thai is written without spaces between words, so a run of
//! Thai letters is cut into words by the segmenter: `น้ำท่วมบ้าน` finds passages with
//! both words, ranked higher where they stand together.

use super::tokens;
use crate::{Error, Result};

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// Text as typed outside quotes, one run without spaces.
    Term(String),
    /// `"…"`: the words in this order.
    Phrase(String),
    /// `text*`: words that begin so.
    Prefix(String),
    And(Vec<Query>),
    Or(Vec<Query>),
    Not(Box<Query>),
}

/// Most terms a query may hold: a bound on the work one request can ask for.
const MAX_TERMS: usize = 64;
/// Deepest nesting of parentheses.
const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone, PartialEq)]
enum Lexeme {
    Open,
    Close,
    And,
    Or,
    Not,
    Word(String),
    Quoted(String),
}

fn lex(input: &str) -> Result<Vec<Lexeme>> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' {
            chars.next();
            out.push(Lexeme::Open);
        } else if c == ')' {
            chars.next();
            out.push(Lexeme::Close);
        } else if c == '"' || c == '“' || c == '”' {
            chars.next();
            let mut s = String::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' || c == '”' || c == '“' {
                    closed = true;
                    break;
                }
                s.push(c);
            }
            if !closed {
                return Err(bad("เครื่องหมายคำพูดไม่ครบคู่", "a quotation mark is not closed"));
            }
            out.push(Lexeme::Quoted(s));
        } else if c == '-' {
            // At the start of a term; a hyphen inside one (COVID-19) is read with it.
            chars.next();
            out.push(Lexeme::Not);
        } else {
            let mut s = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || matches!(c, '(' | ')' | '"' | '“' | '”') {
                    break;
                }
                s.push(c);
                chars.next();
            }
            out.push(match s.as_str() {
                "AND" | "&&" => Lexeme::And,
                "OR" | "||" | "|" => Lexeme::Or,
                "NOT" => Lexeme::Not,
                _ => Lexeme::Word(s),
            });
        }
    }
    Ok(out)
}

fn bad(th: &'static str, en: &'static str) -> Error {
    Error::Invalid {
        field: "q",
        th: th.into(),
        en: en.into(),
    }
}

/// Reads a query. An empty query, an unclosed quote or parenthesis, or a query of only
/// `NOT` terms is refused with a reason a person can act on.
pub fn parse(input: &str) -> Result<Query> {
    let lexemes = lex(input)?;
    let terms = lexemes
        .iter()
        .filter(|l| matches!(l, Lexeme::Word(_) | Lexeme::Quoted(_)))
        .count();
    if terms == 0 {
        return Err(bad("พิมพ์คำที่ต้องการค้นหา", "type something to search for"));
    }
    if terms > MAX_TERMS {
        return Err(bad(
            "คำค้นยาวเกินไป (ไม่เกิน 64 คำ)",
            "the query is too long (64 terms at most)",
        ));
    }
    let mut p = Parser { lexemes, at: 0 };
    let q = p.or(0)?;
    if p.at < p.lexemes.len() {
        return Err(bad(
            "วงเล็บปิดเกิน",
            "a closing parenthesis has no opening one",
        ));
    }
    if !q.has_positive() {
        return Err(bad(
            "ต้องมีคำที่ต้องการหาอย่างน้อยหนึ่งคำ ไม่ใช่มีแต่คำที่ไม่เอา",
            "a query needs at least one term to find, not only terms to leave out",
        ));
    }
    Ok(q)
}

struct Parser {
    lexemes: Vec<Lexeme>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.at)
    }

    fn or(&mut self, depth: usize) -> Result<Query> {
        let mut parts = vec![self.and(depth)?];
        while self.peek() == Some(&Lexeme::Or) {
            self.at += 1;
            parts.push(self.and(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Query::Or(parts)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Query> {
        let mut parts = vec![self.unary(depth)?];
        loop {
            match self.peek() {
                Some(Lexeme::And) => {
                    self.at += 1;
                    parts.push(self.unary(depth)?);
                }
                Some(Lexeme::Or | Lexeme::Close) | None => break,
                Some(_) => parts.push(self.unary(depth)?),
            }
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Query::And(parts)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Query> {
        match self.peek().cloned() {
            Some(Lexeme::Not) => {
                self.at += 1;
                Ok(Query::Not(Box::new(self.unary(depth)?)))
            }
            Some(Lexeme::Open) => {
                if depth >= MAX_DEPTH {
                    return Err(bad("วงเล็บซ้อนกันมากเกินไป", "parentheses are nested too deep"));
                }
                self.at += 1;
                let q = self.or(depth + 1)?;
                if self.peek() != Some(&Lexeme::Close) {
                    return Err(bad("วงเล็บไม่ครบคู่", "a parenthesis is not closed"));
                }
                self.at += 1;
                Ok(q)
            }
            Some(Lexeme::Word(w)) => {
                self.at += 1;
                Ok(match w.strip_suffix('*') {
                    Some(stem) if !stem.is_empty() && !stem.ends_with('*') => {
                        Query::Prefix(stem.to_string())
                    }
                    _ => Query::Term(w.trim_matches('*').to_string()),
                })
            }
            Some(Lexeme::Quoted(s)) => {
                self.at += 1;
                Ok(Query::Phrase(s))
            }
            Some(Lexeme::And | Lexeme::Or) => Err(bad(
                "AND / OR ต้องอยู่ระหว่างคำสองคำ",
                "AND / OR must stand between two terms",
            )),
            Some(Lexeme::Close) => Err(bad(
                "วงเล็บปิดเกิน",
                "a closing parenthesis has no opening one",
            )),
            None => Err(bad(
                "คำค้นจบไม่ครบ (ขาดคำหลัง NOT, AND หรือ OR)",
                "the query ends too early (a term is missing after NOT, AND or OR)",
            )),
        }
    }
}

impl Query {
    /// Whether some part of the query finds something (rather than only leaving out).
    fn has_positive(&self) -> bool {
        match self {
            Query::Term(s) | Query::Phrase(s) | Query::Prefix(s) => !tokens::words(s).is_empty(),
            Query::And(parts) | Query::Or(parts) => parts.iter().any(Query::has_positive),
            Query::Not(_) => false,
        }
    }

    /// The terms to find (not those under NOT), for highlighting.
    pub fn positive_leaves(&self) -> Vec<&Query> {
        let mut out = Vec::new();
        self.collect_leaves(&mut out);
        out
    }

    fn collect_leaves<'q>(&'q self, out: &mut Vec<&'q Query>) {
        match self {
            Query::Term(_) | Query::Phrase(_) | Query::Prefix(_) => out.push(self),
            Query::And(parts) | Query::Or(parts) => {
                parts.iter().for_each(|p| p.collect_leaves(out))
            }
            Query::Not(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Query {
        Query::Term(s.into())
    }

    #[test]
    fn operators_and_precedence() {
        assert_eq!(parse("ป่า").unwrap(), t("ป่า"));
        assert_eq!(
            parse("ป่า น้ำ OR ไฟ").unwrap(),
            Query::Or(vec![Query::And(vec![t("ป่า"), t("น้ำ")]), t("ไฟ")])
        );
        assert_eq!(
            parse("ป่า AND -\"น้ำท่วม\"").unwrap(),
            Query::And(vec![
                t("ป่า"),
                Query::Not(Box::new(Query::Phrase("น้ำท่วม".into())))
            ])
        );
        assert_eq!(
            parse("(ป่า OR นา) NOT ไฟ").unwrap(),
            Query::And(vec![
                Query::Or(vec![t("ป่า"), t("นา")]),
                Query::Not(Box::new(t("ไฟ")))
            ])
        );
        assert_eq!(parse("กองทุน*").unwrap(), Query::Prefix("กองทุน".into()));
        // A hyphen inside a word is not NOT.
        assert_eq!(parse("COVID-19").unwrap(), t("COVID-19"));
    }

    #[test]
    fn refusals_say_why() {
        for q in [
            "",
            "   ",
            "\"ป่า",
            "(ป่า",
            "ป่า)",
            "NOT ป่า",
            "ป่า OR",
            "AND ป่า",
            "***",
        ] {
            let e = parse(q).unwrap_err().to_string();
            assert!(e.contains(" / "), "{q:?} → {e}");
        }
    }
}

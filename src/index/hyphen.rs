//! Hyphenated words kept whole: "in-context", "fine-tuning",
//! "vision-language", "state-of-the-art".
//!
//! The word splitter cuts at every hyphen, so "in-context learning" alone is
//! the words `in context learn`, and a query dropping the stop word `in`
//! asked for "context learning" (#30). Two things keep such a word whole:
//! - **Index side**, [`Compounds`]: after the parts of a hyphenated word,
//!   the index analyzer also yields the parts joined and normalised like
//!   any word (`in-context` → `incontext`, `fine-tuning` → `finetun`, the
//!   stem of "finetuning" too), at the position and offsets of the last
//!   part (tokens never go back, as tantivy's snippets need). The
//!   parts keep their own consecutive positions, so phrases of parts
//!   ("in context learning", interests, mutes, topics) match as before.
//! - **Query side** (`query_words` in `reader.rs`): a hyphenated query
//!   word is one word with its parts and its compound; the search scores
//!   it as `search.hyphenated` says (its parts by default, stop words
//!   included: "in-context" is never "context"; always so on an index of
//!   layout 1, which has no compounds) and prefers papers holding the
//!   query's words as a phrase ([`super::phrase`]).
//!
//! A hyphen joins two words only when nothing else stands between them:
//! `-` (U+002D), `‐` (U+2010) or `‑` (U+2011). An en dash (`2020–2024`) or
//! a spaced hyphen (`G - quadruplex`) joins nothing.

use tantivy::tokenizer::{
    RawTokenizer, TextAnalyzer, TextAnalyzerBuilder, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Whether `gap`, the text between two words, joins them into one word.
pub(super) fn is_hyphen(gap: &str) -> bool {
    matches!(gap, "-" | "\u{2010}" | "\u{2011}")
}

/// `text` with its hyphens removed (the compound's raw form).
pub(super) fn joined(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '-' | '\u{2010}' | '\u{2011}'))
        .collect()
}

/// A [`TokenFilter`] adding, after the parts of each hyphenated word, the
/// word with its hyphens removed, normalised by its own chain (module
/// documentation). Compounds of `max_len` bytes or more are left out, like
/// long words.
#[derive(Clone)]
pub struct Compounds {
    normalize: TextAnalyzer,
    max_len: usize,
}

impl Compounds {
    /// Compounds normalised by the filters `normalize` adds, shorter than
    /// `max_len` bytes.
    pub fn new(
        normalize: impl FnOnce(TextAnalyzerBuilder<RawTokenizer>) -> TextAnalyzer,
        max_len: usize,
    ) -> Self {
        Compounds {
            normalize: normalize(TextAnalyzer::builder(RawTokenizer::default())),
            max_len,
        }
    }
}

impl TokenFilter for Compounds {
    type Tokenizer<T: Tokenizer> = CompoundsTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CompoundsTokenizer<T> {
        CompoundsTokenizer {
            inner: tokenizer,
            compounds: self,
            token: Token::default(),
        }
    }
}

/// The tokenizer [`Compounds`] makes of another.
#[derive(Clone)]
pub struct CompoundsTokenizer<T> {
    inner: T,
    compounds: Compounds,
    token: Token,
}

impl<T: Tokenizer> Tokenizer for CompoundsTokenizer<T> {
    type TokenStream<'a> = CompoundsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.token.reset();
        CompoundsStream {
            text,
            inner: self.inner.token_stream(text),
            compounds: &mut self.compounds,
            compound: &mut self.token,
            chain: None,
            held: false,
            on_compound: false,
            done: false,
        }
    }
}

/// The hyphenated word being read: its byte range, how many parts so far,
/// and the position and start of its last part.
#[derive(Clone, Copy)]
struct Chain {
    from: usize,
    to: usize,
    parts: usize,
    position: usize,
    last_from: usize,
}

/// The token stream of [`CompoundsTokenizer`].
pub struct CompoundsStream<'a, S> {
    text: &'a str,
    inner: S,
    compounds: &'a mut Compounds,
    compound: &'a mut Token,
    chain: Option<Chain>,
    /// Whether the inner stream's token is yet to be yielded (a compound
    /// went first).
    held: bool,
    /// Whether the current token is the compound.
    on_compound: bool,
    /// Whether the inner stream is exhausted.
    done: bool,
}

impl<S: TokenStream> CompoundsStream<'_, S> {
    /// Ends the current word; true when it was hyphenated and its compound
    /// is now the current token.
    fn close(&mut self) -> bool {
        let Some(c) = self.chain.take() else {
            return false;
        };
        let raw = joined(&self.text[c.from..c.to]);
        if c.parts < 2 || raw.len() >= self.compounds.max_len {
            return false;
        }
        let mut stream = self.compounds.normalize.token_stream(&raw);
        if !stream.advance() {
            return false;
        }
        let t = &mut *self.compound;
        t.text.clear();
        t.text.push_str(&stream.token().text);
        // The offsets of the last part: tantivy's snippets need offsets
        // that never go back (highlighting the compound marks that part).
        t.offset_from = c.last_from;
        t.offset_to = c.to;
        t.position = c.position;
        t.position_length = 1;
        self.on_compound = true;
        true
    }

    /// Takes the inner stream's current token into the word being read.
    fn take(&mut self) {
        let t = self.inner.token();
        let (from, to, position) = (t.offset_from, t.offset_to, t.position);
        match &mut self.chain {
            Some(c) if self.text.get(c.to..from).is_some_and(is_hyphen) => {
                c.to = to;
                c.parts += 1;
                c.position = position;
                c.last_from = from;
            }
            _ => {
                self.chain = Some(Chain {
                    from,
                    to,
                    parts: 1,
                    position,
                    last_from: from,
                });
            }
        }
        self.on_compound = false;
    }
}

impl<S: TokenStream> TokenStream for CompoundsStream<'_, S> {
    fn advance(&mut self) -> bool {
        if self.held {
            self.held = false;
            self.take();
            return true;
        }
        if self.done || !self.inner.advance() {
            self.done = true;
            return self.close();
        }
        let from = self.inner.token().offset_from;
        let joins = self
            .chain
            .is_some_and(|c| self.text.get(c.to..from).is_some_and(is_hyphen));
        if !joins && self.close() {
            self.held = true;
            return true;
        }
        self.take();
        true
    }

    fn token(&self) -> &Token {
        if self.on_compound {
            &*self.compound
        } else {
            self.inner.token()
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.on_compound {
            &mut *self.compound
        } else {
            self.inner.token_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::{english, english_index};

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(&mut english_index(), text)
            .into_iter()
            .map(|t| t.0)
            .collect()
    }

    #[test]
    fn a_hyphenated_word_adds_its_compound_after_its_parts() {
        assert_eq!(
            tokens(&mut english_index(), "In-context learning"),
            [
                ("in".to_string(), 0, 0, 2),
                ("context".to_string(), 1, 3, 10),
                ("incontext".to_string(), 1, 3, 10),
                ("learn".to_string(), 2, 11, 19),
            ]
        );
        assert_eq!(
            texts("state-of-the-art fine-tuning of vision-language models"),
            [
                "state",
                "of",
                "the",
                "art",
                "stateoftheart",
                "fine",
                "tune",
                "finetun",
                "of",
                "vision",
                "languag",
                "visionlanguag",
                "model"
            ]
        );
        // The compound is the stem of the word written without hyphens.
        assert_eq!(texts("finetuning"), ["finetun"]);
        assert_eq!(texts("GPT\u{2011}4o"), ["gpt", "4o", "gpt4o"]);
    }

    #[test]
    fn only_a_bare_hyphen_joins_words() {
        for text in [
            "G - quadruplex",
            "2020\u{2013}2024",
            "a -b",
            "a- b",
            "a--b",
            "x",
            "",
            "-",
        ] {
            assert_eq!(
                tokens(&mut english_index(), text),
                tokens(&mut english(), text),
                "{text:?}"
            );
        }
        // A compound at the very end of the text, and one right before
        // another word.
        assert_eq!(texts("x-ray"), ["x", "ray", "xray"]);
        assert_eq!(
            texts("x-ray x-ray"),
            ["x", "ray", "xray", "x", "ray", "xray"]
        );
    }

    #[test]
    fn a_compound_too_long_to_index_is_left_out() {
        let long = format!("{}-{}", "a".repeat(20), "b".repeat(20));
        assert_eq!(texts(&long), ["a".repeat(20), "b".repeat(20)]);
    }
}

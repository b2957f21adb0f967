//! A memo in front of per-token normalisation.
//!
//! Snowball stemming was a third of the CPU of indexing (a `perf` profile of
//! a 100 k ingest: `frostem` functions at 36 % of samples). Word frequencies
//! follow Zipf's law, so most tokens of an abstract were seen a few hundred
//! tokens earlier: [`Memo`] remembers what each raw token normalised to and
//! runs the normaliser only for new words.
//!
//! The normaliser is an ordinary [`TextAnalyzer`] over a [`RawTokenizer`], so
//! the memoised chain yields exactly the tokens of the chain it replaces (the
//! stems on disk do not change). The memo is capped and simply stops growing
//! when full: the words common enough to pay off are the ones seen first.

use std::collections::HashMap;

use tantivy::tokenizer::{RawTokenizer, TextAnalyzer, TextAnalyzerBuilder};
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Most entries a memo holds (about 5 MB of short strings; one memo per
/// field per indexing thread).
pub const CAPACITY: usize = 50_000;

/// A [`TokenFilter`] that replaces each token's text with what `normalize`
/// makes of it, remembering the answers.
#[derive(Clone)]
pub struct Memo {
    normalize: TextAnalyzer,
    capacity: usize,
}

impl Memo {
    /// `normalize` gets the filters applied to each token on its own.
    pub fn new(
        normalize: impl FnOnce(TextAnalyzerBuilder<RawTokenizer>) -> TextAnalyzer,
        capacity: usize,
    ) -> Self {
        Self {
            normalize: normalize(TextAnalyzer::builder(RawTokenizer::default())),
            capacity,
        }
    }
}

impl TokenFilter for Memo {
    type Tokenizer<T: Tokenizer> = MemoFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoFilter<T> {
        MemoFilter {
            inner,
            normalize: self.normalize,
            capacity: self.capacity,
            memo: HashMap::new(),
        }
    }
}

/// The tokenizer a [`Memo`] wraps around.
pub struct MemoFilter<T> {
    inner: T,
    normalize: TextAnalyzer,
    capacity: usize,
    memo: HashMap<Box<str>, Box<str>>,
}

impl<T: Clone> Clone for MemoFilter<T> {
    /// A clone starts with an empty memo: tantivy clones an analyzer for
    /// each segment and each query, where copying the memo would cost more
    /// than it saves.
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            normalize: self.normalize.clone(),
            capacity: self.capacity,
            memo: HashMap::new(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for MemoFilter<T> {
    type TokenStream<'a> = MemoStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStream {
            tail: self.inner.token_stream(text),
            normalize: &mut self.normalize,
            capacity: self.capacity,
            memo: &mut self.memo,
        }
    }
}

/// The token stream of a [`MemoFilter`].
pub struct MemoStream<'a, S> {
    tail: S,
    normalize: &'a mut TextAnalyzer,
    capacity: usize,
    memo: &'a mut HashMap<Box<str>, Box<str>>,
}

impl<S: TokenStream> TokenStream for MemoStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(known) = self.memo.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(known);
            return true;
        }
        let normalized = {
            let mut stream = self.normalize.token_stream(&token.text);
            if stream.advance() {
                std::mem::take(&mut stream.token_mut().text)
            } else {
                String::new()
            }
        };
        if self.memo.len() < self.capacity {
            self.memo
                .insert(token.text.as_str().into(), normalized.as_str().into());
        }
        token.text = normalized;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    };

    use super::*;
    use crate::index::schema::english;

    /// The chain [`english`] replaced, filter after filter on every token.
    fn english_unmemoised() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build()
    }

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn memoised_english_yields_the_tokens_of_the_plain_chain() {
        let pieces = [
            "Running",
            "running",
            "RUNS",
            "runner",
            "Café",
            "café",
            "naïve",
            "Ærø",
            "ΣΊΣΥΦΟΣ",
            "straße",
            "İstanbul",
            "x",
            "a",
            "the",
            "The",
            "embeddings",
            "Embedding",
            "2024",
            "v2",
            "gpt-4o",
            "über-",
            "ﬁne",
            "ﬀ",
            "Ωmega",
            "日本語",
            "e\u{301}",
            "–",
            " ",
            "  ",
            ", ",
            ". ",
            "\t",
            "\n",
            "(",
            ")",
            "$\\alpha$",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // 39 bytes: kept
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // 40 bytes: dropped
        ];
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d_u64);
        let (mut memoised, mut plain) = (english(), english_unmemoised());
        // One analyzer for every text, as in a segment writer: later texts
        // are served from the memo.
        for _ in 0..5_000 {
            let text: String = (0..next(30)).map(|_| pieces[next(pieces.len())]).collect();
            assert_eq!(
                tokens(&mut memoised, &text),
                tokens(&mut plain, &text),
                "{text:?}"
            );
        }
        let abstracts = include_str!("../../fixtures/arxiv-oai/snapshot_head200.jsonl");
        assert_eq!(
            tokens(&mut memoised, abstracts),
            tokens(&mut plain, abstracts)
        );
    }

    #[test]
    fn a_full_memo_stops_growing_and_stays_correct() {
        let mut filter =
            Memo::new(|w| w.filter(LowerCaser).build(), 2).transform(SimpleTokenizer::default());
        let mut words = |t: &str| -> Vec<String> {
            let mut out = Vec::new();
            let mut stream = filter.token_stream(t);
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        assert_eq!(words("A B C A B C D"), ["a", "b", "c", "a", "b", "c", "d"]);
        assert_eq!(words("D C"), ["d", "c"]);
        let memo: Vec<(&str, &str)> = filter.memo.iter().map(|(k, v)| (&**k, &**v)).collect();
        assert_eq!(memo.len(), 2);
        assert!(
            memo.iter()
                .all(|(k, v)| k.to_lowercase() == *v && "AB".contains(*k))
        );
        assert!(filter.clone().memo.is_empty());
    }
}

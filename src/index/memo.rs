//! The English word splitter, with a memo in front of per-word normalisation.
//!
//! Snowball stemming was a third of the CPU of indexing (a `perf` profile of
//! a 100 k ingest: `frostem` functions at 36 % of samples). Word frequencies
//! follow Zipf's law, so most words of an abstract were seen a few hundred
//! words earlier: [`MemoWords`] remembers what each raw word normalised to
//! and runs the normaliser only for new words.
//!
//! It yields exactly the tokens of the tantivy chain it replaces,
//! `SimpleTokenizer` → `RemoveLongFilter` → normalising filters (the stems on
//! disk do not change; a differential test checks text, positions and
//! offsets): words are runs of alphanumeric characters, a word of
//! `max_len` bytes or more is dropped but keeps its position, and the
//! normaliser is an ordinary [`TextAnalyzer`] over a [`RawTokenizer`]. The
//! memo is capped and simply stops growing when full: the words common
//! enough to pay off are the ones seen first.
//!
//! Why one tokenizer instead of a splitter and a memo filter: a second
//! `perf` profile of a 1 M ingest still put 20 % of all samples in
//! splitting and looking words up (each word copied twice, hashed with
//! SipHash, and compared through two boxed strings: cache misses, with the
//! postings arena evicting the table). Here ASCII bytes are classified by
//! a table, a word is looked up straight from the text, keys are stored
//! inline (`Word`) and hashed with one multiply, and the normal forms sit
//! side by side in one string.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use tantivy::tokenizer::{RawTokenizer, TextAnalyzer, TextAnalyzerBuilder};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Most words a memo holds (32 bytes each in the table, plus the normal
/// form: about 3 MB with the table's slack; one memo per field per
/// indexing thread).
pub const CAPACITY: usize = 50_000;

/// A word of up to [`Word::MAX`] bytes stored inline: its bytes,
/// zero-padded, with its length in the last byte. Equality and hashing are
/// three word operations.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Word([u64; 3]);

impl Word {
    /// The longest word a [`Word`] holds, in bytes.
    const MAX: usize = 23;

    fn new(s: &str) -> Option<Self> {
        let len = s.len();
        if len > Self::MAX {
            return None;
        }
        let mut bytes = [0u8; 24];
        bytes[..len].copy_from_slice(s.as_bytes());
        bytes[23] = len as u8;
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
            u64::from_le_bytes(w)
        };
        Some(Self([word(0), word(1), word(2)]))
    }
}

impl Hash for Word {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let [a, b, c] = self.0;
        state.write_u64(a ^ b.rotate_left(21) ^ c.rotate_left(42));
    }
}

/// The hasher of [`Word`]s: one folded multiply of the one `u64` a word
/// writes (high and low halves both mixed, as the table uses both).
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let m = u128::from(self.0 ^ n) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (m as u64) ^ ((m >> 64) as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Words seen, and where their normal form sits in `forms`.
#[derive(Default)]
struct Memo {
    table: HashMap<Word, (u32, u32), BuildHasherDefault<WordHasher>>,
    forms: String,
}

/// ASCII bytes that are alphanumeric (what `char::is_alphanumeric` says).
const ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// Whether the character at byte `at` of `text` belongs to a word, and its
/// length in bytes. `at` is on a character boundary, before the end.
fn class_at(text: &str, at: usize) -> (bool, usize) {
    let b = text.as_bytes()[at];
    if b < 0x80 {
        return (ASCII_WORD[usize::from(b)], 1);
    }
    text[at..]
        .chars()
        .next()
        .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
}

/// A [`Tokenizer`] yielding the words of a text, each replaced with what
/// its normaliser makes of it (see the module documentation).
pub struct MemoWords {
    normalize: TextAnalyzer,
    max_len: usize,
    capacity: usize,
    memo: Memo,
    token: Token,
}

impl MemoWords {
    /// Words shorter than `max_len` bytes, each normalised by the filters
    /// `normalize` adds, with up to `capacity` words remembered.
    pub fn new(
        normalize: impl FnOnce(TextAnalyzerBuilder<RawTokenizer>) -> TextAnalyzer,
        max_len: usize,
        capacity: usize,
    ) -> Self {
        Self {
            normalize: normalize(TextAnalyzer::builder(RawTokenizer::default())),
            max_len,
            capacity,
            memo: Memo::default(),
            token: Token::default(),
        }
    }
}

impl Clone for MemoWords {
    /// A clone starts with an empty memo: tantivy clones an analyzer for
    /// each segment and each query, where copying the memo would cost more
    /// than it saves.
    fn clone(&self) -> Self {
        Self {
            normalize: self.normalize.clone(),
            max_len: self.max_len,
            capacity: self.capacity,
            memo: Memo::default(),
            token: Token::default(),
        }
    }
}

impl Tokenizer for MemoWords {
    type TokenStream<'a> = MemoWordsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoWordsStream<'a> {
        self.token.reset();
        MemoWordsStream {
            text,
            at: 0,
            words: self,
        }
    }
}

/// The token stream of [`MemoWords`].
pub struct MemoWordsStream<'a> {
    text: &'a str,
    /// Where the next word is looked for.
    at: usize,
    words: &'a mut MemoWords,
}

impl MemoWordsStream<'_> {
    /// The next word's byte range, if any (long words included).
    fn next_word(&mut self) -> Option<(usize, usize)> {
        let len = self.text.len();
        let start = loop {
            if self.at >= len {
                return None;
            }
            let (word, n) = class_at(self.text, self.at);
            if word {
                break self.at;
            }
            self.at += n;
        };
        let mut end = start;
        while end < len {
            let (word, n) = class_at(self.text, end);
            if !word {
                break;
            }
            end += n;
        }
        self.at = end;
        Some((start, end))
    }
}

impl TokenStream for MemoWordsStream<'_> {
    fn advance(&mut self) -> bool {
        let (start, end) = loop {
            let Some((start, end)) = self.next_word() else {
                return false;
            };
            self.words.token.position = self.words.token.position.wrapping_add(1);
            if end - start < self.words.max_len {
                break (start, end);
            }
        };
        let raw = &self.text[start..end];
        let MemoWords {
            normalize,
            capacity,
            memo,
            token,
            ..
        } = &mut *self.words;
        token.offset_from = start;
        token.offset_to = end;
        token.text.clear();
        let key = Word::new(raw);
        if let Some(&(from, to)) = key.and_then(|k| memo.table.get(&k)) {
            token.text.push_str(&memo.forms[from as usize..to as usize]);
            return true;
        }
        let mut stream = normalize.token_stream(raw);
        if stream.advance() {
            token.text.push_str(&stream.token().text);
        }
        if let Some(key) = key
            && memo.table.len() < *capacity
            && let Ok(from) = u32::try_from(memo.forms.len())
        {
            memo.forms.push_str(&token.text);
            let to = from + token.text.len() as u32;
            memo.table.insert(key, (from, to));
        }
        true
    }

    fn token(&self) -> &Token {
        &self.words.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.words.token
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::LowerCaser;

    use super::*;
    use crate::index::schema::{english, english_reference};

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
            "½",
            "x²",
            "٣٤",
            "\u{a0}",
            "\u{2028}",
            "Electroencephalographically", // 27 bytes: past the inline words
            "electroencephalographically",
            "abcdefghijklmnopqrstuvw", // 23 bytes: the longest inline word
            "abcdefghijklmnopqrstuvwx",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // 39 bytes: kept
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", // 40 bytes: dropped
        ];
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d_u64);
        let (mut memoised, mut plain) = (english(), english_reference());
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
    fn inline_words_tell_apart_what_differs() {
        let words = [
            "",
            "a",
            "a\0",
            "\0",
            "b",
            "ab",
            "ba",
            "café",
            "cafe",
            "12345678",
            "12345679",
            "abcdefghijklmnopqrstuvw",
            "abcdefghijklmnopqrstuvv",
        ];
        for (i, x) in words.iter().enumerate() {
            for (j, y) in words.iter().enumerate() {
                assert_eq!(Word::new(x) == Word::new(y), i == j, "{x:?} {y:?}");
            }
        }
        // Zero padding and the length byte keep prefixes apart.
        assert!(Word::new("abcdefgh") != Word::new("abcdefgh\0"));
        assert!(Word::new("abcdefghijklmnopqrstuvwx").is_none(), "24 bytes");
    }

    #[test]
    fn a_full_memo_stops_growing_and_stays_correct() {
        let mut analyzer = MemoWords::new(|w| w.filter(LowerCaser).build(), 40, 2);
        let mut words = |t: &str| -> Vec<String> {
            let mut out = Vec::new();
            let mut stream = analyzer.token_stream(t);
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        assert_eq!(words("A B C A B C D"), ["a", "b", "c", "a", "b", "c", "d"]);
        assert_eq!(words("D C"), ["d", "c"]);
        let memo = &analyzer.memo;
        assert_eq!(memo.table.len(), 2);
        assert_eq!(memo.forms, "ab");
        for (word, form) in [("A", "a"), ("B", "b")] {
            let &(from, to) = &memo.table[&Word::new(word).unwrap()];
            assert_eq!(&memo.forms[from as usize..to as usize], form);
        }
        assert!(analyzer.clone().memo.table.is_empty());
    }
}

//! The English word splitter, with a memo in front of per-word normalisation.
//!
//! Snowball stemming is by far the costliest step of the English analyzer,
//! and it would run on every word of every text. Word frequencies follow
//! Zipf's law, so most words of an abstract were seen a few hundred words
//! earlier: [`MemoWords`] remembers what each raw word normalised to and
//! runs the normaliser only for new words.
//!
//! It yields exactly the tokens of the tantivy chain it replaces,
//! `SimpleTokenizer` → `RemoveLongFilter` → normalising filters (the stems on
//! disk do not change; a differential test checks text, positions and
//! offsets): words are runs of alphanumeric characters, a word of
//! `max_len` bytes or more is dropped but keeps its position, and the
//! normaliser is an ordinary [`TextAnalyzer`] over a [`RawTokenizer`]; a
//! word it drops (say, with a stop-word filter) keeps its position too. The
//! memo is capped and simply stops growing when full: the words common
//! enough to pay off are the ones seen first.
//!
//! Why one tokenizer instead of a splitter and a memo filter: a separate
//! filter would copy each word twice, hash it with SipHash and compare it
//! through boxed strings, all on every word of every text. Here ASCII bytes
//! are classified by a table, a word's key is loaded straight from the text
//! (`Word`) and hashed with one multiply.
//!
//! Why the memo is a table of cache lines: the postings arena of the
//! indexing thread keeps evicting it, so what a lookup costs is the cache
//! lines it touches. A general hash map with the normal forms in a string
//! of their own touches three (control bytes, key, form), each a likely
//! miss. A `Slot` holds the key and its normal form in one line, found by
//! linear probing.

use tantivy::tokenizer::{RawTokenizer, TextAnalyzer, TextAnalyzerBuilder};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Most words a memo holds: 4 MiB of 64-byte slots when full (one memo per
/// field per indexing thread, for one segment). Words past the cap are
/// normalised each time they come; by Zipf's law they are the rare ones,
/// as the frequent words come first.
pub const CAPACITY: usize = 32_768;

/// A word of up to [`Word::MAX`] bytes stored inline: its bytes,
/// zero-padded, with its length in the last byte. Equality and hashing are
/// three word operations.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Word([u64; 3]);

impl Word {
    /// The longest word a [`Word`] holds, in bytes.
    const MAX: usize = 23;

    /// The word `text[start..end]`, loaded 8 bytes at a time (building
    /// it through a byte array would stall the load right after the copy
    /// on store forwarding).
    fn from_text(text: &[u8], start: usize, end: usize) -> Option<Self> {
        let len = end - start;
        if len > Self::MAX {
            return None;
        }
        let mut w = [0u64; 3];
        for (i, out) in w.iter_mut().enumerate() {
            let from = start + 8 * i;
            if from >= end {
                break;
            }
            let n = (end - from).min(8);
            *out = match text.get(from..from + 8).map(<[u8; 8]>::try_from) {
                Some(Ok(bytes)) if n == 8 => u64::from_le_bytes(bytes),
                Some(Ok(bytes)) => u64::from_le_bytes(bytes) & ((1 << (8 * n)) - 1),
                // The last bytes of the text.
                _ => text[from..from + n]
                    .iter()
                    .rev()
                    .fold(0, |acc, &b| (acc << 8) | u64::from(b)),
            };
        }
        w[2] |= (len as u64) << 56;
        Some(Self(w))
    }

    #[cfg(test)]
    fn new(s: &str) -> Option<Self> {
        Self::from_text(s.as_bytes(), 0, s.len())
    }

    /// A hash of the three words: one folded multiply.
    fn hash(&self) -> u64 {
        let [a, b, c] = self.0;
        let m = u128::from(a ^ b.rotate_left(21) ^ c.rotate_left(42)) * 0x9e37_79b9_7f4a_7c15;
        (m as u64) ^ ((m >> 64) as u64)
    }

    /// Whether this is the key of an empty [`Slot`] (a word's length
    /// byte is never 0).
    fn is_empty(&self) -> bool {
        self.0[2] == 0
    }
}

/// The longest normal form a [`Slot`] holds, in bytes.
const FORM_MAX: usize = 39;

/// The `len` of a [`Slot`] whose word the normaliser drops (say, a stop
/// word).
const DROPPED: u8 = u8::MAX;

/// A remembered word and its normal form: one cache line.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    word: Word,
    /// Bytes of `form` in use, or [`DROPPED`].
    len: u8,
    form: [u8; FORM_MAX],
}

const EMPTY: Slot = Slot {
    word: Word([0; 3]),
    len: 0,
    form: [0; FORM_MAX],
};

/// Words seen and their normal forms: an open-addressing table of
/// [`Slot`]s, linear probing, at most half full (it doubles from 1024
/// slots as words come).
#[derive(Default)]
struct Memo {
    slots: Vec<Slot>,
    len: usize,
}

impl Memo {
    /// What `word` normalises to, if remembered: `Some(form)`, or `None`
    /// when the normaliser drops it.
    fn get(&self, word: &Word) -> Option<Option<&[u8]>> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = word.hash() as usize & mask;
        loop {
            let slot = &self.slots[i];
            if slot.word == *word {
                return Some((slot.len != DROPPED).then(|| &slot.form[..usize::from(slot.len)]));
            }
            if slot.word.is_empty() {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Remembers what `word` (not already remembered) normalises to
    /// (`None`: dropped), unless the memo holds `capacity` words or the
    /// form does not fit a slot.
    fn insert(&mut self, word: Word, form: Option<&str>, capacity: usize) {
        if self.len >= capacity || form.is_some_and(|f| f.len() > FORM_MAX) {
            return;
        }
        if (self.len + 1) * 2 > self.slots.len() {
            let grown = vec![EMPTY; (self.slots.len() * 2).max(1024)];
            let old = std::mem::replace(&mut self.slots, grown);
            for slot in old.iter().filter(|s| !s.word.is_empty()) {
                self.place(*slot);
            }
        }
        let mut slot = EMPTY;
        slot.word = word;
        match form {
            Some(form) => {
                slot.len = form.len() as u8;
                slot.form[..form.len()].copy_from_slice(form.as_bytes());
            }
            None => slot.len = DROPPED,
        }
        self.place(slot);
        self.len += 1;
    }

    /// Puts `slot` in the first free slot from its word's home.
    fn place(&mut self, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = slot.word.hash() as usize & mask;
        while !self.slots[i].word.is_empty() {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }
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

impl MemoWords {
    /// Makes the token of the word `text[start..end]`; false when the
    /// normaliser drops the word.
    fn word(&mut self, text: &str, start: usize, end: usize) -> bool {
        let MemoWords {
            normalize,
            capacity,
            memo,
            token,
            ..
        } = self;
        token.offset_from = start;
        token.offset_to = end;
        token.text.clear();
        let key = Word::from_text(text.as_bytes(), start, end);
        let remembered = key.and_then(|k| memo.get(&k));
        match remembered.map(|form| form.map(std::str::from_utf8)) {
            Some(Some(Ok(form))) => {
                token.text.push_str(form);
                return true;
            }
            Some(None) => return false,
            // (A form is remembered from a `&str`: never invalid.)
            Some(Some(Err(_))) | None => {}
        }
        let mut stream = normalize.token_stream(&text[start..end]);
        let kept = stream.advance();
        if kept {
            token.text.push_str(&stream.token().text);
        }
        if let Some(key) = key
            && remembered.is_none()
        {
            memo.insert(key, kept.then_some(token.text.as_str()), *capacity);
        }
        kept
    }
}

impl TokenStream for MemoWordsStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let Some((start, end)) = self.next_word() else {
                return false;
            };
            let words = &mut *self.words;
            // Words too long or dropped keep their position.
            words.token.position = words.token.position.wrapping_add(1);
            if end - start < words.max_len && words.word(self.text, start, end) {
                return true;
            }
        }
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
        assert_eq!(memo.len, 2);
        for (word, form) in [
            ("A", Some(Some(&b"a"[..]))),
            ("B", Some(Some(b"b"))),
            ("C", None),
        ] {
            assert_eq!(memo.get(&Word::new(word).unwrap()), form, "{word}");
        }
        assert_eq!(analyzer.clone().memo.len, 0);
    }

    #[test]
    fn a_word_loaded_from_its_text_equals_the_word_alone() {
        // Words at every offset of a text, ending anywhere (the last
        // bytes of the text load byte by byte), with bytes around them
        // that the masks must drop.
        let text = "xabcdefghijklmnopqrstuvwxyz0123456789\u{e9}y";
        let bytes = text.as_bytes();
        for start in 0..bytes.len() {
            for end in start..=bytes.len() {
                let alone = &bytes[start..end];
                let mut expected = [0u64; 3];
                for (i, &b) in alone.iter().enumerate().take(23) {
                    expected[i / 8] |= u64::from(b) << (8 * (i % 8));
                }
                expected[2] |= (alone.len() as u64) << 56;
                let got = Word::from_text(bytes, start, end);
                if alone.len() > Word::MAX {
                    assert!(got.is_none());
                } else {
                    assert!(got == Some(Word(expected)), "{start}..{end}");
                }
            }
        }
    }

    #[test]
    fn the_memo_grows_and_finds_every_word_it_took() {
        let mut memo = Memo::default();
        let words: Vec<String> = (0..5_000).map(|i| format!("w{i}")).collect();
        for w in &words {
            memo.insert(Word::new(w).unwrap(), Some(&w.to_uppercase()), 4_000);
        }
        assert_eq!(memo.len, 4_000);
        assert_eq!(memo.slots.len(), 8_192, "at most half full");
        for (i, w) in words.iter().enumerate() {
            let form = memo.get(&Word::new(w).unwrap());
            let expected = (i < 4_000).then(|| w.to_uppercase());
            assert_eq!(form, expected.as_deref().map(|e| Some(e.as_bytes())), "{w}");
        }
        // A form longer than a slot holds is not remembered.
        let long = "y".repeat(FORM_MAX + 1);
        let mut memo = Memo::default();
        memo.insert(Word::new("y").unwrap(), Some(&long), 10);
        assert_eq!((memo.len, memo.get(&Word::new("y").unwrap())), (0, None));
        // A dropped word is remembered as dropped.
        memo.insert(Word::new("z").unwrap(), None, 10);
        assert_eq!(memo.get(&Word::new("z").unwrap()), Some(None));
    }

    #[test]
    fn words_the_normaliser_drops_keep_their_positions() {
        use tantivy::tokenizer::{SimpleTokenizer, StopWordFilter};
        let stop = || StopWordFilter::remove(["the".to_string(), "of".to_string()]);
        let mut memoised = TextAnalyzer::from(MemoWords::new(
            |w| w.filter(LowerCaser).filter(stop()).build(),
            40,
            100,
        ));
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(stop())
            .build();
        for text in [
            "The state of the art",
            "of of the",
            "art OF The state, the end",
        ] {
            // Twice: from the normaliser, then from the memo.
            for _ in 0..2 {
                assert_eq!(
                    tokens(&mut memoised, text),
                    tokens(&mut plain, text),
                    "{text}"
                );
            }
        }
        assert_eq!(
            tokens(&mut memoised, "the state of the art"),
            [
                ("state".to_string(), 1, 4, 9),
                ("art".to_string(), 4, 17, 20)
            ]
        );
    }
}

//! A deterministic arXiv-snapshot-style corpus: JSON Lines shaped like
//! `arxiv-metadata-oai-snapshot.json`, with a Zipf-distributed vocabulary,
//! ~10-word titles, 150–250-word abstracts, 1–3 categories and dates spread
//! over eight years (2016–2023).

use std::io::Write;

use serde::Serialize;

/// SplitMix64: tiny, fast and good enough for synthetic text.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const STOPWORDS: &[&str] = &[
    "the", "of", "and", "a", "in", "to", "we", "is", "for", "that", "with", "on", "this", "by",
    "are", "as", "from", "an", "which", "be", "our", "at", "these", "can", "it", "show", "its",
    "also", "between", "such", "using", "both", "than", "new", "two", "has", "have", "into",
];

const SEED_WORDS: &[&str] = &[
    "model",
    "models",
    "results",
    "method",
    "data",
    "learning",
    "network",
    "networks",
    "neural",
    "field",
    "energy",
    "system",
    "systems",
    "quantum",
    "time",
    "approach",
    "problem",
    "paper",
    "propose",
    "performance",
    "based",
    "large",
    "high",
    "function",
    "state",
    "states",
    "analysis",
    "algorithm",
    "information",
    "training",
    "deep",
    "order",
    "phase",
    "spin",
    "mass",
    "theory",
    "dynamics",
    "structure",
    "space",
    "approximation",
    "framework",
    "distribution",
    "graph",
    "graphs",
    "language",
    "image",
    "images",
    "classification",
    "optimization",
    "estimation",
    "inference",
    "bayesian",
    "stochastic",
    "gradient",
    "convergence",
    "linear",
    "nonlinear",
    "equation",
    "equations",
    "solution",
    "solutions",
    "boundary",
    "magnetic",
    "electron",
    "electrons",
    "temperature",
    "density",
    "galaxy",
    "galaxies",
    "star",
    "stars",
    "stellar",
    "dark",
    "matter",
    "cosmological",
    "gravitational",
    "waves",
    "black",
    "hole",
    "holes",
    "particle",
    "particles",
    "scattering",
    "symmetry",
    "gauge",
    "lattice",
    "topological",
    "superconducting",
    "transition",
    "transitions",
    "measurement",
    "measurements",
    "observations",
    "simulation",
    "simulations",
    "numerical",
    "experimental",
    "experiments",
    "detector",
    "sensor",
    "signal",
    "signals",
    "noise",
    "channel",
    "channels",
    "wireless",
    "communication",
    "protocol",
    "security",
    "privacy",
    "attack",
    "attacks",
    "robust",
    "robustness",
    "adversarial",
    "transformer",
    "transformers",
    "attention",
    "embedding",
    "embeddings",
    "representation",
    "representations",
    "reinforcement",
    "policy",
    "reward",
    "agent",
    "agents",
    "multi",
    "task",
    "tasks",
    "benchmark",
    "benchmarks",
    "dataset",
    "datasets",
    "accuracy",
    "efficient",
    "efficiency",
    "scalable",
    "distributed",
    "parallel",
    "memory",
    "hardware",
    "computation",
    "computational",
    "complexity",
    "bound",
    "bounds",
    "lower",
    "upper",
    "theorem",
    "proof",
    "prove",
    "conjecture",
    "group",
    "groups",
    "algebra",
    "algebras",
    "manifold",
    "manifolds",
    "operator",
    "operators",
    "spectral",
    "spectrum",
    "eigenvalue",
    "matrix",
    "matrices",
    "tensor",
    "random",
    "probability",
    "process",
    "processes",
    "markov",
    "chain",
    "sampling",
    "sample",
    "samples",
    "regression",
    "kernel",
    "sparse",
    "dimensional",
    "low",
    "rank",
    "convex",
    "nonconvex",
    "variational",
    "diffusion",
    "generative",
    "adversarial",
    "language",
    "speech",
    "recognition",
    "detection",
    "segmentation",
    "tracking",
    "video",
    "visual",
    "vision",
    "robot",
    "robots",
    "control",
    "controller",
    "feedback",
    "stability",
    "stable",
    "instability",
    "flow",
    "flows",
    "fluid",
    "turbulence",
    "turbulent",
    "plasma",
    "laser",
    "optical",
    "photon",
    "photons",
    "cavity",
    "atoms",
    "atomic",
    "molecular",
    "molecules",
    "chemical",
    "protein",
    "proteins",
    "cell",
    "cells",
    "gene",
    "genes",
    "genomic",
    "clinical",
    "patients",
    "disease",
    "epidemic",
    "population",
    "social",
    "economic",
    "market",
    "financial",
    "risk",
    "portfolio",
    "game",
    "games",
    "equilibrium",
    "auction",
    "mechanism",
    "design",
    "fairness",
    "causal",
    "causality",
    "treatment",
    "effect",
    "effects",
    "uncertainty",
    "calibration",
    "interpretability",
    "explanation",
    "pretrained",
    "fine",
    "tuning",
    "prompt",
    "reasoning",
    "knowledge",
    "retrieval",
    "question",
    "answering",
    "translation",
    "summarization",
    "dialogue",
    "text",
    "word",
    "sentence",
    "token",
    "tokens",
    "vocabulary",
    "corpus",
    "semantic",
    "syntactic",
    "federated",
    "clients",
    "server",
    "cloud",
    "edge",
    "latency",
    "throughput",
    "energy",
    "power",
    "grid",
    "battery",
    "solar",
    "wind",
    "climate",
    "weather",
    "forecasting",
    "prediction",
    "predictions",
    "temporal",
    "spatial",
    "point",
    "cloud",
    "mesh",
    "surface",
    "geometry",
    "geometric",
    "curvature",
    "riemannian",
    "hyperbolic",
    "euclidean",
    "metric",
    "distance",
    "similarity",
    "clustering",
    "cluster",
    "clusters",
    "community",
    "node",
    "nodes",
    "edges",
    "message",
    "passing",
    "convolutional",
    "recurrent",
    "lstm",
    "architecture",
    "architectures",
    "layer",
    "layers",
    "depth",
    "width",
    "overparameterized",
    "generalization",
    "regularization",
    "dropout",
    "normalization",
    "batch",
    "loss",
    "objective",
    "contrastive",
    "self",
    "supervised",
    "unsupervised",
    "semi",
    "labels",
    "labeled",
    "unlabeled",
    "domain",
    "adaptation",
    "transfer",
    "shift",
    "continual",
    "meta",
    "few",
    "shot",
    "zero",
    "compression",
    "quantization",
    "pruning",
    "distillation",
    "inference",
    "serving",
    "compiler",
    "software",
    "code",
    "program",
    "programs",
    "verification",
    "formal",
    "logic",
    "automata",
    "language",
    "languages",
    "semantics",
    "types",
    "database",
    "query",
    "queries",
    "index",
    "search",
    "ranking",
    "recommendation",
    "users",
    "user",
    "online",
    "regret",
    "bandit",
    "bandits",
];

const SYLLABLES: &[&str] = &[
    "ba", "ce", "di", "fo", "gu", "ha", "ke", "li", "mo", "nu", "pa", "qui", "ro", "sa", "te",
    "vi", "xo", "ze", "tra", "stro", "pho", "chlo", "the", "ion", "ic", "al", "ous", "ene", "ide",
    "ate", "or", "ism", "ity", "on", "an", "ex", "pro", "syn", "neo", "mer",
];

const PHRASES: &[(&str, &str)] = &[
    ("neural", "network"),
    ("dark", "matter"),
    ("black", "hole"),
    ("language", "model"),
    ("reinforcement", "learning"),
    ("phase", "transition"),
    ("deep", "learning"),
    ("magnetic", "field"),
    ("gradient", "descent"),
    ("graph", "neural"),
    ("quantum", "state"),
    ("gravitational", "waves"),
    ("message", "passing"),
    ("point", "cloud"),
    ("federated", "learning"),
    ("knowledge", "distillation"),
    ("question", "answering"),
    ("markov", "chain"),
    ("lower", "bound"),
    ("domain", "adaptation"),
    ("causal", "inference"),
    ("diffusion", "model"),
    ("few", "shot"),
    ("spin", "glass"),
    ("star", "formation"),
    ("image", "segmentation"),
];

const CATEGORIES: &[&str] = &[
    "cs.LG",
    "cs.CV",
    "cs.CL",
    "stat.ML",
    "cs.AI",
    "quant-ph",
    "hep-th",
    "astro-ph.GA",
    "astro-ph.CO",
    "cond-mat.mes-hall",
    "cond-mat.str-el",
    "math.PR",
    "math.OC",
    "math.AP",
    "math.CO",
    "cs.RO",
    "cs.CR",
    "cs.IT",
    "math.IT",
    "physics.optics",
    "hep-ph",
    "gr-qc",
    "astro-ph.SR",
    "astro-ph.HE",
    "cs.DS",
    "cs.NI",
    "eess.SP",
    "eess.IV",
    "q-bio.QM",
    "physics.flu-dyn",
    "cond-mat.stat-mech",
    "math.NA",
    "cs.NA",
    "econ.EM",
    "q-fin.ST",
    "cs.DB",
    "cs.IR",
    "cs.SE",
    "cs.PL",
    "math.AG",
];

const FIRST: &[&str] = &[
    "Wei", "Anna", "John", "Maria", "Hiroshi", "Olga", "Pierre", "Ana", "Rahul", "Li", "Chen",
    "Sofia", "David", "Fatima", "Jan", "Yuki", "Carlos", "Elena", "Mohammed", "Ingrid", "Kwame",
    "Lucía", "Björn", "Priya", "Tomás", "Zhang", "Noor", "Ivan", "Emma", "Lars",
];

const LAST: &[&str] = &[
    "Wang",
    "Smith",
    "Müller",
    "Garcia",
    "Tanaka",
    "Ivanova",
    "Dubois",
    "Silva",
    "Sharma",
    "Li",
    "Chen",
    "Rossi",
    "Kim",
    "Nguyen",
    "Kowalski",
    "Sato",
    "López",
    "Petrov",
    "Hassan",
    "Larsen",
    "Mensah",
    "Fernández",
    "Andersson",
    "Patel",
    "Novák",
    "Zhou",
    "Ahmed",
    "Volkov",
    "Brown",
    "Johansson",
    "Liu",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Schmidt",
    "Martin",
    "Bernard",
];

/// The vocabulary in frequency-rank order and its cumulative Zipf weights.
pub struct Vocab {
    pub words: Vec<String>,
    cdf: Vec<f64>,
}

impl Vocab {
    pub fn new(size: usize) -> Vocab {
        let mut words: Vec<String> = Vec::with_capacity(size);
        let mut seen = std::collections::HashSet::new();
        for w in STOPWORDS.iter().chain(SEED_WORDS) {
            if seen.insert(w.to_string()) {
                words.push(w.to_string());
            }
        }
        let mut rng = Rng::new(0x005E_ED0F_u64);
        while words.len() < size {
            let n = rng.range(2, 4);
            let w: String = (0..n)
                .map(|_| SYLLABLES[rng.range(0, SYLLABLES.len() - 1)])
                .collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut acc = 0.0;
        let cdf = (0..words.len())
            .map(|r| {
                acc += 1.0 / (r as f64 + 2.7);
                acc
            })
            .collect::<Vec<_>>();
        let total = acc;
        let cdf = cdf.into_iter().map(|c| c / total).collect();
        Vocab { words, cdf }
    }

    pub fn sample(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        let i = self
            .cdf
            .partition_point(|&c| c < u)
            .min(self.words.len() - 1);
        &self.words[i]
    }
}

#[derive(Serialize)]
struct Version {
    version: String,
    created: String,
}

#[derive(Serialize)]
struct Record<'a> {
    id: String,
    submitter: String,
    authors: String,
    title: String,
    comments: Option<String>,
    #[serde(rename = "journal-ref")]
    journal_ref: Option<&'a str>,
    doi: Option<String>,
    #[serde(rename = "report-no")]
    report_no: Option<&'a str>,
    categories: String,
    license: Option<&'a str>,
    #[serde(rename = "abstract")]
    abstract_text: String,
    versions: Vec<Version>,
    update_date: String,
    authors_parsed: Vec<[String; 3]>,
}

/// Appends `n` words (with planted phrases and sentence breaks when `prose`).
fn words(vocab: &Vocab, rng: &mut Rng, n: usize, prose: bool, out: &mut Vec<String>) {
    let mut sentence = 0;
    while out.len() < n {
        if rng.next_u64() % 100 < 4 {
            let (a, b) = PHRASES[rng.range(0, PHRASES.len() - 1)];
            out.push(a.to_string());
            out.push(b.to_string());
        } else if prose && rng.next_u64() % 100 < 1 {
            out.push("$O(n \\log n)$".to_string());
        } else {
            out.push(vocab.sample(rng).to_string());
        }
        sentence += 1;
        if prose && sentence > rng.range(12, 30) {
            if let Some(last) = out.last_mut() {
                last.push('.');
            }
            sentence = 0;
        }
    }
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn rfc2822(d: jiff::civil::DateTime) -> String {
    let wd = match d.date().weekday() {
        jiff::civil::Weekday::Monday => "Mon",
        jiff::civil::Weekday::Tuesday => "Tue",
        jiff::civil::Weekday::Wednesday => "Wed",
        jiff::civil::Weekday::Thursday => "Thu",
        jiff::civil::Weekday::Friday => "Fri",
        jiff::civil::Weekday::Saturday => "Sat",
        jiff::civil::Weekday::Sunday => "Sun",
    };
    format!(
        "{wd}, {} {} {} {:02}:{:02}:{:02} GMT",
        d.day(),
        MONTHS[(d.month() - 1) as usize],
        d.year(),
        d.hour(),
        d.minute(),
        d.second()
    )
}

/// Writes `n` records to `out`.
pub fn generate(n: u64, out: &mut dyn Write) -> std::io::Result<()> {
    let vocab = Vocab::new(6000);
    let mut rng = Rng::new(0x00C0_FFEE);
    let months: u64 = 96;
    let mut month_counter = (u64::MAX, 0u64);
    let mut buf = Vec::with_capacity(4096);
    for i in 0..n {
        let m = i * months / n.max(1);
        if month_counter.0 != m {
            month_counter = (m, 0);
        }
        month_counter.1 += 1;
        let year = 2016 + (m / 12) as i16;
        let month = (m % 12) as i8 + 1;
        let day = rng.range(1, 28) as i8;
        let created = jiff::civil::date(year, month, day).at(
            rng.range(0, 23) as i8,
            rng.range(0, 59) as i8,
            rng.range(0, 59) as i8,
            0,
        );
        let id = format!("{:02}{:02}.{:05}", year % 100, month, month_counter.1);
        write_record(&vocab, &mut rng, id, created, i, &mut buf, out)?;
    }
    out.flush()
}

/// Writes one day of `n` new records, all first submitted on `date`
/// before 06:00 UTC, with ids of that month that the corpus never uses
/// (`YYMM.9NNNN`, numbered from `first`): what a daily feed brings.
pub fn generate_day(
    n: u64,
    date: jiff::civil::Date,
    first: u64,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let vocab = Vocab::new(6000);
    let mut rng = Rng::new(0x00DA_7000 ^ first);
    let mut buf = Vec::with_capacity(4096);
    for k in 0..n {
        let created = date.at(
            rng.range(0, 5) as i8,
            rng.range(0, 59) as i8,
            rng.range(0, 59) as i8,
            0,
        );
        let id = format!(
            "{:02}{:02}.9{:04}",
            date.year() % 100,
            date.month(),
            first + k
        );
        write_record(&vocab, &mut rng, id, created, first + k, &mut buf, out)?;
    }
    out.flush()
}

/// One snapshot record, drawn from `rng`, as a JSON line.
fn write_record(
    vocab: &Vocab,
    rng: &mut Rng,
    id: String,
    created: jiff::civil::DateTime,
    i: u64,
    buf: &mut Vec<u8>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut versions = vec![Version {
        version: "v1".into(),
        created: rfc2822(created),
    }];
    let mut last = created;
    for v in 2..=rng.range(1, 3) {
        last = last
            .checked_add(jiff::Span::new().days(rng.range(3, 200) as i64))
            .unwrap_or(last);
        versions.push(Version {
            version: format!("v{v}"),
            created: rfc2822(last),
        });
    }
    let n_auth = rng.range(1, 7);
    let authors_parsed: Vec<[String; 3]> = (0..n_auth)
        .map(|_| {
            [
                LAST[rng.range(0, LAST.len() - 1)].to_string(),
                FIRST[rng.range(0, FIRST.len() - 1)].to_string(),
                String::new(),
            ]
        })
        .collect();
    let authors = authors_parsed
        .iter()
        .map(|a| format!("{} {}", a[1], a[0]))
        .collect::<Vec<_>>()
        .join(", ");
    let n_cat = rng.range(1, 3);
    let mut cats: Vec<&str> = Vec::new();
    while cats.len() < n_cat {
        // Skewed towards the first (popular) categories.
        let r = (rng.unit() * rng.unit() * CATEGORIES.len() as f64) as usize;
        let c = CATEGORIES[r.min(CATEGORIES.len() - 1)];
        if !cats.contains(&c) {
            cats.push(c);
        }
    }
    let mut t = Vec::new();
    let n_title = rng.range(6, 14);
    words(vocab, rng, n_title, false, &mut t);
    let title = t
        .iter()
        .enumerate()
        .map(|(k, w)| {
            if k == 0 || w.len() > 3 {
                capitalise(w)
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut a = Vec::new();
    let n_abs = rng.range(150, 250);
    words(vocab, rng, n_abs, true, &mut a);
    let mut abstract_text = String::from("  ");
    let mut col = 2;
    for (k, w) in a.iter().enumerate() {
        let w = if k == 0 { capitalise(w) } else { w.clone() };
        if col + w.len() > 80 {
            abstract_text.push('\n');
            col = 0;
        } else if k > 0 {
            abstract_text.push(' ');
            col += 1;
        }
        abstract_text.push_str(&w);
        col += w.len();
    }
    abstract_text.push_str(".\n");
    let pages = rng.range(4, 40);
    let record = Record {
        id,
        submitter: format!("{} {}", authors_parsed[0][1], authors_parsed[0][0]),
        authors,
        title,
        comments: (!rng.next_u64().is_multiple_of(4))
            .then(|| format!("{pages} pages, {} figures", pages / 3)),
        journal_ref: None,
        doi: rng
            .next_u64()
            .is_multiple_of(3)
            .then(|| format!("10.{}/j.{}", rng.range(1000, 9999), i)),
        report_no: None,
        categories: cats.join(" "),
        license: Some("http://arxiv.org/licenses/nonexclusive-distrib/1.0/"),
        abstract_text,
        update_date: last.date().to_string(),
        versions,
        authors_parsed,
    };
    buf.clear();
    serde_json::to_writer(&mut *buf, &record)?;
    buf.push(b'\n');
    out.write_all(buf)
}

/// A fixed query set: single terms, two and three terms, quoted phrases.
pub fn queries(n: usize) -> Vec<Query> {
    let vocab = Vocab::new(6000);
    let mut rng = Rng::new(0x0051_EA2C);
    // Content words of middling to high frequency (skip stopwords).
    let pick = |rng: &mut Rng| vocab.words[rng.range(STOPWORDS.len(), 1500)].clone();
    (0..n)
        .map(|i| match i % 4 {
            0 => Query::Terms(vec![pick(&mut rng)]),
            1 => Query::Terms(vec![pick(&mut rng), pick(&mut rng)]),
            2 => Query::Terms(vec![pick(&mut rng), pick(&mut rng), pick(&mut rng)]),
            _ => {
                let (a, b) = PHRASES[rng.range(0, PHRASES.len() - 1)];
                Query::Phrase(vec![a.to_string(), b.to_string()])
            }
        })
        .collect()
}

/// One benchmark query.
#[derive(Clone, Debug)]
pub enum Query {
    /// Any of the terms (tantivy's default OR; `a OR b` in FTS5).
    Terms(Vec<String>),
    /// An exact phrase.
    Phrase(Vec<String>),
}

impl Query {
    /// tantivy / papertrend query syntax.
    pub fn tantivy(&self) -> String {
        match self {
            Query::Terms(t) => t.join(" "),
            Query::Phrase(t) => format!("\"{}\"", t.join(" ")),
        }
    }

    /// FTS5 MATCH syntax with the same meaning.
    pub fn fts5(&self) -> String {
        let expr = match self {
            Query::Terms(t) => t
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(" OR "),
            Query::Phrase(t) => format!("\"{}\"", t.join(" ")),
        };
        // The fields the tantivy queries search.
        format!("{{title abstract}} : ({expr})")
    }
}

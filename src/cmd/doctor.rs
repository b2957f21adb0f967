//! `papertrend doctor [--repair]`: says whether the index folder is intact
//! and, when it is damaged (no `meta.json`, or one that does not match the
//! segment files), rebuilds it from the papers stored in those files.

use std::io::Write;

use crate::Outcome;
use crate::app::App;
use crate::cli::DoctorArgs;
use crate::error::{Error, Result};
use crate::exit;
use crate::index::{Index, IndexError, repair};

/// Prints what is wrong with the index (exit 1 when damaged), or repairs
/// it with `--repair`: salvages every live paper from the segment files,
/// moves the damaged folder aside and writes a new index with them (exit 3
/// when some segment could not be read).
///
/// # Errors
/// An index or I/O failure, or the run lock held by another process.
pub fn run(app: &App, args: &DoctorArgs) -> Result<Outcome> {
    let dir = app.data.index();
    let mut out = crate::sanitize::stdout();
    let io = |e: std::io::Error| Error::io("stdout", e);
    if !dir.exists() {
        writeln!(out, "no index yet at {}", dir.display()).map_err(io)?;
        return Ok(Outcome::new(exit::OK));
    }
    let damage = match repair::check(&dir) {
        Ok(()) => match Index::open(&dir, false) {
            Ok(index) => {
                let segments = repair::segments_on_disk(&dir).map_or(0, |s| s.len());
                writeln!(
                    out,
                    "the index at {} is intact: {} papers, {segments} segment(s)",
                    dir.display(),
                    index.count()
                )
                .map_err(io)?;
                if args.repair {
                    writeln!(out, "nothing to repair").map_err(io)?;
                }
                return Ok(Outcome::new(exit::OK));
            }
            Err(IndexError::Missing { .. }) => {
                writeln!(out, "no index yet at {}", dir.display()).map_err(io)?;
                return Ok(Outcome::new(exit::OK));
            }
            Err(e) => e.to_string(),
        },
        Err(reason) => reason,
    };
    let segments = repair::segments_on_disk(&dir).map_err(|e| Error::io(dir.display(), e))?;
    writeln!(out, "the index at {} is damaged: {damage}", dir.display()).map_err(io)?;
    writeln!(
        out,
        "segment files on disk: {} segment(s); nothing has been changed",
        segments.len()
    )
    .map_err(io)?;
    if !args.repair {
        writeln!(
            out,
            "to rebuild it from them: papertrend doctor --repair (the damaged folder is kept)"
        )
        .map_err(io)?;
        return Ok(Outcome::new(exit::FAILURE));
    }
    let _lock = crate::state::RunLock::acquire(&app.data, "doctor")?;
    let salvaged = repair::salvage(&dir).map_err(|reason| IndexError::Damaged {
        path: dir.display().to_string(),
        reason,
    })?;
    for (id, why) in &salvaged.unreadable {
        app.warn(&format!(
            "{}: segment {id} cannot be read: {why}",
            dir.display()
        ));
    }
    if salvaged.papers.is_empty() && !segments.is_empty() {
        return Err(Error::Other(format!(
            "{}: no paper could be read from {} segment(s); nothing was changed",
            dir.display(),
            segments.len()
        )));
    }
    let stamp = app.clock.now().strftime("%Y%m%dT%H%M%SZ").to_string();
    let aside = app.data.root().join(format!("index.damaged-{stamp}"));
    std::fs::rename(&dir, &aside).map_err(|e| Error::io(aside.display(), e))?;
    let index = Index::open(&dir, true)?;
    let cfg = &app.config.ingest;
    let mut session = index.session(cfg.writer_memory_mb, cfg.batch_size, app.clock.now())?;
    let papers = salvaged.papers.len();
    for (paper, fps) in salvaged.papers {
        session.restore(paper, fps)?;
    }
    session.finish()?;
    writeln!(
        out,
        "rebuilt the index: {papers} papers from {} segment(s)",
        salvaged.segments_read
    )
    .map_err(io)?;
    if salvaged.bad_records > 0 {
        app.warn(&format!(
            "{} stored record(s) could not be decoded and were left out",
            salvaged.bad_records
        ));
    }
    writeln!(
        out,
        "the damaged folder is kept at {}; remove it once `papertrend stats` looks right",
        aside.display()
    )
    .map_err(io)?;
    Ok(Outcome::new(
        if salvaged.unreadable.is_empty() && salvaged.bad_records == 0 {
            exit::OK
        } else {
            exit::PARTIAL
        },
    ))
}

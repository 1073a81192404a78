//! `dactyl moc`: the border check that ends with match-on-card (ISO/IEC 7816-11 VERIFY with
//! biometric data): open the chip, read it, Passive Authentication (must pass), Chip
//! Authentication (must pass), then the chip compares the live finger with its reference.

use super::read::{ReadArgs, read_and_verify};
use super::report;
use crate::biometrics::FingerPosition;
use crate::biometrics::minutiae::MinutiaeRecord;
use crate::error::{Error, Result};
use crate::reader::moc::{self, MocOutcome, MocReport, MocRequest};
use clap::Args;
use std::path::PathBuf;

/// Exit code of a probe the chip compared and did not match.
pub const EXIT_NO_MATCH: u8 = 5;
/// Exit code of a blocked reference.
pub const EXIT_BLOCKED: u8 = 6;

/// Arguments of `dactyl moc`.
#[derive(Debug, Args)]
pub struct MocArgs {
    /// How to reach and open the chip, the trust anchors for Passive Authentication, and
    /// Terminal Authentication, as for `dactyl read`.
    #[command(flatten)]
    pub read: ReadArgs,
    /// The live finger: an ISO/IEC 19794-2 minutiae record (2005 or 2011) from the scanner.
    #[arg(long, value_name = "FILE")]
    pub probe: PathBuf,
    /// The finger on the scanner: right-thumb, left-thumb, right-index, ...
    #[arg(long, default_value = "right-thumb")]
    pub finger: String,
    /// The most probe bytes in one VERIFY (longer probes are chained); default: one command
    /// with extended length, 223 bytes without.
    #[arg(long, hide = true)]
    pub chunk: Option<usize>,
}

/// A finger by name: `right-thumb`, `left_index`, `right index finger` (as the reports write
/// it), or its ISO/IEC 19794-4 code 1 to 10.
pub fn parse_finger(name: &str) -> Result<FingerPosition> {
    if let Ok(code) = name.parse::<u8>()
        && (1..=10).contains(&code)
    {
        return Ok(FingerPosition(code));
    }
    let wanted = name.to_ascii_lowercase().replace(['-', '_'], " ");
    let wanted = wanted.trim_end_matches(" finger");
    (1..=10)
        .map(FingerPosition)
        .find(|p| p.name().trim_end_matches(" finger") == wanted)
        .ok_or_else(|| {
            Error::Usage(format!(
                "--finger {name}: name a finger as right-thumb, right-index, right-middle, \
                 right-ring, right-little, left-thumb, ... or give its code 1 to 10"
            ))
        })
}

/// Runs `dactyl moc`.
pub fn run(args: &MocArgs) -> Result<()> {
    if !args.read.trust.any() {
        return Err(Error::Usage(
            "match-on-card runs only after Passive Authentication: give --csca, --masterlist \
             or --trust-store"
                .into(),
        ));
    }
    let finger = parse_finger(&args.finger)?;
    let bytes = std::fs::read(&args.probe)
        .map_err(|e| Error::io(format!("reading {}", args.probe.display()), e))?;
    let probe = MinutiaeRecord::parse(&bytes)
        .map_err(|e| Error::Usage(format!("{}: {e}", args.probe.display())))?;
    // A probe of another finger is refused before the chip is touched.
    moc::probe_for(
        &probe,
        finger,
        crate::biometrics::compact::CardFormat::Compact,
        &Default::default(),
    )?;
    let request = MocRequest {
        probe,
        finger,
        chunk: args.chunk,
    };
    let doc = read_and_verify(&args.read, |session, doc| {
        let report = match moc::refusal(doc) {
            Some(why) => MocReport::not_run(finger, why),
            None => moc::match_on_card(session, &request)
                .unwrap_or_else(|e| MocReport::not_run(finger, e.to_string())),
        };
        doc.match_on_card = Some(report);
        Ok(())
    })?;
    if args.read.json {
        outln!("{}", report::to_json(&doc))?;
    } else {
        out!("{}", report::document_text(&doc))?;
    }
    match doc.match_on_card.as_ref().and_then(|m| m.outcome) {
        Some(MocOutcome::Match) => Ok(()),
        Some(o @ MocOutcome::NoMatch { .. }) => Err(Error::Verdict {
            code: EXIT_NO_MATCH,
            message: format!("match-on-card: {}", o.describe()),
        }),
        Some(o @ MocOutcome::Blocked) => Err(Error::Verdict {
            code: EXIT_BLOCKED,
            message: format!("match-on-card: {}", o.describe()),
        }),
        _ => Err(Error::protocol(
            "match-on-card",
            doc.match_on_card
                .as_ref()
                .map_or_else(|| "not run".into(), MocReport::headline),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingers_are_named_as_users_write_them() {
        assert_eq!(parse_finger("right-thumb").unwrap(), FingerPosition(1));
        assert_eq!(parse_finger("left_thumb").unwrap(), FingerPosition(6));
        assert_eq!(parse_finger("right-index").unwrap(), FingerPosition(2));
        assert_eq!(
            parse_finger("left index finger").unwrap(),
            FingerPosition(7)
        );
        assert_eq!(parse_finger("9").unwrap(), FingerPosition(9));
        assert!(parse_finger("nose").is_err());
        assert!(parse_finger("11").is_err());
    }
}

//! The `dactyl` command line: argument parsing with clap and printing. Every command is a thin
//! call into the library.
//!
//! Exit codes: 0 success; 1 failure; 2 bad usage; 3 access denied (wrong MRZ/keys);
//! 4 no PC/SC service, reader or card. When stdout is closed early (`dactyl demo | head -1`),
//! the command stops quietly with status 0.

/// `print!` to stdout that returns an error instead of panicking when stdout is gone.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(format_args!($($arg)*))
    };
}

/// `println!` to stdout that returns an error instead of panicking when stdout is gone.
macro_rules! outln {
    () => {
        $crate::cli::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod demo;
mod demo_issue;
mod demo_moc;
mod eac;
mod emulate;
mod enrol;
mod inspect;
mod moc;
mod personalize;
mod pki;
mod read;
mod report;

use crate::crypto::signing_key::KeyAlgorithm;
use crate::error::Error;
use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

/// dactyl: read, verify, personalize and emulate the chips of passports and ID cards.
#[derive(Debug, Parser)]
#[command(name = "dactyl", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the PC/SC readers and whether each holds a card.
    Readers,
    /// Open a chip with BAC and read EF.COM, DG1 and the other data groups.
    Read(read::ReadArgs),
    /// Run a virtual chip as a card in pcscd's vpcd reader ("Virtual PCD 00 00").
    Emulate(emulate::EmulateArgs),
    /// Show the whole flow on an in-process virtual chip, no hardware needed.
    Demo(demo::DemoArgs),
    /// Test PKI for issuing: CSCA, Document Signer, CRL.
    #[command(subcommand)]
    Pki(pki::PkiCommand),
    /// Test CV PKI for Terminal Authentication: CVCA, DV, inspection system.
    #[command(subcommand)]
    Cvc(eac::CvcCommand),
    /// Sign an EF.SOD over data group files with a test PKI's Document Signer.
    SignSod(pki::SignSodArgs),
    /// Passive Authentication of files at rest: EF.SOD, data groups, CSCAs or master lists.
    Verify(pki::VerifyArgs),
    /// Describe a data group, EF.SOD, EF.COM, EF.CardAccess, certificate or 19794 record.
    Inspect(inspect::InspectArgs),
    /// The enrolment policy's decision for an applicant; with --dg3, whether that DG3 may be
    /// issued.
    Enrol(enrol::EnrolArgs),
    /// Personalize a blank chip from an applicant record: build the LDS, write, lock, read back.
    Personalize(personalize::PersonalizeArgs),
    /// The border check with match-on-card: open, read, Passive and Chip Authentication, then
    /// the chip compares a live finger (a 19794-2 record) with its reference. Exit 0 match,
    /// 5 no match, 6 reference blocked.
    Moc(moc::MocArgs),
}

/// `--alg` of `pki init`, `cvc init` and `cvc link`: the command-line names of
/// [`KeyAlgorithm`], so the library type carries no clap derive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KeyAlg {
    /// ECDSA on NIST P-256 with SHA-256.
    P256,
    /// ECDSA on NIST P-384 with SHA-384.
    P384,
    /// ECDSA on brainpoolP256r1 with SHA-256.
    Brainpool256,
    /// ECDSA on brainpoolP384r1 with SHA-384.
    Brainpool384,
    /// RSASSA-PSS, 3072-bit modulus, SHA-256, MGF1-SHA-256, 32-byte salt.
    RsaPss,
    /// ECDSA on NIST P-521 with SHA-512.
    P521,
}

impl From<KeyAlg> for KeyAlgorithm {
    fn from(a: KeyAlg) -> KeyAlgorithm {
        match a {
            KeyAlg::P256 => KeyAlgorithm::P256,
            KeyAlg::P384 => KeyAlgorithm::P384,
            KeyAlg::Brainpool256 => KeyAlgorithm::Brainpool256,
            KeyAlg::Brainpool384 => KeyAlgorithm::Brainpool384,
            KeyAlg::RsaPss => KeyAlgorithm::RsaPss,
            KeyAlg::P521 => KeyAlgorithm::P521,
        }
    }
}

/// The reverse mapping: exhaustive, so a new [`KeyAlgorithm`] does not compile until it has a
/// command-line name here.
impl From<KeyAlgorithm> for KeyAlg {
    fn from(a: KeyAlgorithm) -> KeyAlg {
        match a {
            KeyAlgorithm::P256 => KeyAlg::P256,
            KeyAlgorithm::P384 => KeyAlg::P384,
            KeyAlgorithm::Brainpool256 => KeyAlg::Brainpool256,
            KeyAlgorithm::Brainpool384 => KeyAlg::Brainpool384,
            KeyAlgorithm::RsaPss => KeyAlg::RsaPss,
            KeyAlgorithm::P521 => KeyAlg::P521,
        }
    }
}

/// Writes to stdout; a closed pipe or any other failure is an [`Error::Io`].
fn write_stdout(args: std::fmt::Arguments<'_>) -> crate::error::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(STDOUT, e))
}

const STDOUT: &str = "writing to stdout";

/// True when stdout was closed under us: the reader of the pipe went away.
fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { context, source }
        if context == STDOUT && source.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Exit code for an error.
fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Usage(_) | Error::Mrz(_) => 2,
        Error::AccessDenied | Error::PaceDenied { .. } => 3,
        Error::PcscNotRunning | Error::NoReaders | Error::ReaderChoice(_) | Error::CardRemoved => 4,
        Error::Verdict { code, .. } => *code,
        _ => 1,
    }
}

/// Runs the command line; the binary's `main` calls this.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Readers => read::list_readers(),
        Command::Read(args) => read::run(&args),
        Command::Emulate(args) => emulate::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::Pki(pki::PkiCommand::Init(args)) => pki::init(&args),
        Command::SignSod(args) => pki::sign(&args),
        Command::Cvc(eac::CvcCommand::Init(args)) => eac::init(&args),
        Command::Cvc(eac::CvcCommand::Link(args)) => eac::link(&args),
        Command::Verify(args) => pki::verify(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Enrol(args) => enrol::run(&args),
        Command::Personalize(args) => personalize::run(&args),
        Command::Moc(args) => moc::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dactyl: {e}");
            ExitCode::from(exit_code(&e))
        }
    }
}

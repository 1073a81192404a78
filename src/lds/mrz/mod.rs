//! The machine readable zone: check digits (ICAO Doc 9303-3 clause 4.9), the TD1, TD2 and TD3
//! layouts (9303-5 clause 4.2.2, 9303-6 clause 4.2.2, 9303-4 clause 4.2.2) and the key
//! information BAC and PACE derive their keys from (9303-11 clause 9.7.1.1 and clause 4.3).
//!
//! [`Mrz::parse`] reads the zone as printed or as stored in DG1 and reports every check digit
//! instead of rejecting a document whose digits fail: a chip's DG1 must be shown as it is.
//! [`Mrz::parse_verified`] is the strict variant for MRZs a user typed in.
//!
//! Input rules: lines separated by `\n` or `\r\n`, or all lines concatenated (90, 72 or 88
//! characters); whitespace around the zone and around each line is ignored. Lower-case letters
//! are rejected rather than upper-cased: the MRZ alphabet is `0-9`, `A-Z` and `<` only, and
//! silently fixing case could hide an OCR or typing error in a field without a check digit.

mod build;

use crate::error::{Error, Result};
use std::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The value of an MRZ character (9303-3 clause 4.9): digits 0-9, `A`-`Z` 10-35, `<` 0.
fn char_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        'A'..='Z' => Some(c as u32 - 'A' as u32 + 10),
        '<' => Some(0),
        _ => None,
    }
}

/// The check digit of an MRZ field (ICAO 9303-3 clause 4.9): weights 7, 3, 1 repeating, sum
/// modulo 10.
pub fn check_digit(field: &str) -> Result<u8> {
    let mut sum = 0u32;
    for (c, weight) in field.chars().zip([7u32, 3, 1].into_iter().cycle()) {
        let value = char_value(c).ok_or_else(|| {
            Error::Mrz(format!(
                "{c:?} is not an MRZ character (0-9, A-Z or <), no check digit"
            ))
        })?;
        sum = (sum + value * weight) % 10;
    }
    Ok(sum as u8)
}

/// The character of a check digit value 0..=9.
fn digit_char(d: u8) -> char {
    char::from(b'0' + d % 10)
}

/// The three machine readable travel document sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum MrzFormat {
    /// ID-1 card size: 3 lines of 30 characters (9303-5).
    Td1,
    /// ID-2 size: 2 lines of 36 characters (9303-6).
    Td2,
    /// Passport booklet: 2 lines of 44 characters (9303-4).
    Td3,
}

impl MrzFormat {
    /// Characters per line.
    pub fn line_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 => 36,
            MrzFormat::Td3 => 44,
        }
    }

    /// Number of lines.
    pub fn line_count(self) -> usize {
        match self {
            MrzFormat::Td1 => 3,
            MrzFormat::Td2 | MrzFormat::Td3 => 2,
        }
    }

    /// "TD1", "TD2" or "TD3".
    pub fn name(self) -> &'static str {
        match self {
            MrzFormat::Td1 => "TD1",
            MrzFormat::Td2 => "TD2",
            MrzFormat::Td3 => "TD3",
        }
    }
}

/// One check digit of the zone: the digit printed and the digit computed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CheckResult {
    /// What the digit protects: "document number", "date of birth", "composite", ...
    pub field: &'static str,
    /// The check digit as it stands in the MRZ.
    pub expected: char,
    /// The check digit the field's characters call for.
    pub computed: char,
    /// True when they agree.
    pub ok: bool,
}

impl CheckResult {
    fn over(field: &'static str, data: &str, printed: char) -> CheckResult {
        // Fields are validated MRZ characters; '?' (never equal to a printed digit) is a fallback.
        let computed = check_digit(data).map(digit_char).unwrap_or('?');
        CheckResult {
            field,
            expected: printed,
            computed,
            ok: printed == computed,
        }
    }
}

/// A parsed machine readable zone.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Mrz {
    /// TD1, TD2 or TD3.
    pub format: MrzFormat,
    /// Document code without filler: "P", "I", "ID", "AC", ...
    pub document_code: String,
    /// Issuing state or organization without filler: "UTO", "D".
    pub issuing_state: String,
    /// Surname(s), fillers as spaces: "ERIKSSON".
    pub primary_identifier: String,
    /// Given names, fillers as spaces: "ANNA MARIA".
    pub secondary_identifier: String,
    /// The full document number without filler, long numbers reassembled (9303-5 note j).
    pub document_number: String,
    /// Nationality without filler.
    pub nationality: String,
    /// Date of birth, YYMMDD as printed.
    pub date_of_birth: String,
    /// Sex as printed: "F", "M", "X" or "<" (unspecified).
    pub sex: String,
    /// Date of expiry, YYMMDD as printed.
    pub date_of_expiry: String,
    /// TD1 line 1 / TD2 optional data, TD3 personal number; trailing filler removed. When a long
    /// document number continues here, only what follows its check digit and filler.
    pub optional_data: String,
    /// TD1 line 2 optional data; empty for TD2 and TD3.
    pub optional_data_2: String,
    /// Every check digit of the format with its verdict.
    pub checks: Vec<CheckResult>,
    /// The lines as read.
    pub lines: Vec<String>,
}

/// One validated MRZ line, addressed with the 1-based inclusive positions of the standard.
#[derive(Clone, Copy)]
struct Line<'a>(&'a str);

impl<'a> Line<'a> {
    /// Positions `first..=last`. Lines are validated ASCII of the right length before use, so
    /// the empty fallback is never taken.
    fn span(self, first: usize, last: usize) -> &'a str {
        self.0.get(first - 1..last).unwrap_or("")
    }

    /// The character at `pos`.
    fn at(self, pos: usize) -> char {
        self.span(pos, pos).chars().next().unwrap_or('?')
    }
}

fn without_filler(s: &str) -> String {
    s.trim_end_matches('<').to_string()
}

/// Splits a name field at the first `<<` into primary and secondary identifier (9303-3 clause
/// 4.6), fillers inside each turned into single spaces.
fn split_name(field: &str) -> (String, String) {
    let field = field.trim_end_matches('<');
    let (primary, secondary) = field.split_once("<<").unwrap_or((field, ""));
    let words = |s: &str| {
        s.split('<')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    (words(primary), words(secondary))
}

/// The document number and its check for TD1 and TD2, reassembling a number longer than 9
/// characters: the number field holds the first 9, its check digit position holds `<`, and the
/// optional data starts with the rest of the number, its check digit, then `<` (9303-5 note j,
/// 9303-6 note j). Returns (number, check, remaining optional data).
fn long_document_number(
    number: &str,
    printed: char,
    optional: &str,
) -> (String, CheckResult, String) {
    if printed == '<' {
        let (extension, rest) = optional.split_at(optional.find('<').unwrap_or(optional.len()));
        if let Some((last_pos, last)) = extension.char_indices().last()
            && last_pos > 0
            && last.is_ascii_digit()
        {
            let full = format!("{number}{}", extension.get(..last_pos).unwrap_or(""));
            let check = CheckResult::over("document number", &full, last);
            return (full, check, rest.trim_matches('<').to_string());
        }
    }
    let check = CheckResult::over("document number", number, printed);
    (without_filler(number), check, without_filler(optional))
}

impl Mrz {
    /// Parses an MRZ in any of the three formats; see the module documentation for the accepted
    /// input. Check digits that fail are reported in [`Mrz::checks`], not as an error.
    pub fn parse(text: &str) -> Result<Mrz> {
        let (format, lines) = split_lines(text)?;
        let refs: Vec<Line> = lines.iter().map(|l| Line(l)).collect();
        let mut mrz = match (format, refs.as_slice()) {
            (MrzFormat::Td1, [l1, l2, l3]) => parse_td1(*l1, *l2, *l3),
            (MrzFormat::Td2 | MrzFormat::Td3, [l1, l2]) => parse_two_line(format, *l1, *l2),
            _ => {
                return Err(Error::Mrz(format!(
                    "{} lines for {}",
                    lines.len(),
                    format.name()
                )));
            }
        };
        mrz.lines = lines;
        Ok(mrz)
    }

    /// The same as [`Mrz::parse`], for callers that hold the lines separately.
    pub fn from_lines(lines: &[&str]) -> Result<Mrz> {
        Mrz::parse(&lines.join("\n"))
    }

    /// Parses and requires every check digit to agree.
    pub fn parse_verified(text: &str) -> Result<Mrz> {
        let mrz = Mrz::parse(text)?;
        let failed: Vec<String> = mrz
            .checks
            .iter()
            .filter(|c| !c.ok)
            .map(|c| {
                format!(
                    "check digit of {} is {}, computed {}",
                    c.field, c.expected, c.computed
                )
            })
            .collect();
        if failed.is_empty() {
            Ok(mrz)
        } else {
            Err(Error::Mrz(failed.join("; ")))
        }
    }

    /// True when every check digit agrees.
    pub fn all_checks_pass(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }

    /// The document number, date of birth and date of expiry BAC and PACE keys come from.
    pub fn key_info(&self) -> Result<MrzKeyInfo> {
        MrzKeyInfo::new(
            &self.document_number,
            &self.date_of_birth,
            &self.date_of_expiry,
        )
    }

    /// The lines joined by `\n`.
    pub fn to_text(&self) -> String {
        self.lines.join("\n")
    }
}

impl std::str::FromStr for Mrz {
    type Err = Error;

    fn from_str(s: &str) -> Result<Mrz> {
        Mrz::parse(s)
    }
}

/// Checks the characters of every line, then picks the format from line count and lengths.
fn split_lines(text: &str) -> Result<(MrzFormat, Vec<String>)> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::Mrz("empty MRZ".into()));
    }
    let raw: Vec<&str> = text.lines().map(str::trim).collect();
    for (n, line) in raw.iter().enumerate() {
        validate_chars(line, n + 1)?;
    }
    let len = |s: &str| s.len(); // ASCII after validation: bytes == characters
    let format = match raw.as_slice() {
        [one] => {
            let format = match len(one) {
                90 => MrzFormat::Td1,
                72 => MrzFormat::Td2,
                88 => MrzFormat::Td3,
                n => {
                    return Err(Error::Mrz(format!(
                        "one line of {n} characters: expected 90 (TD1), 72 (TD2) or 88 (TD3), \
                         or the lines separated by newlines"
                    )));
                }
            };
            let chars: Vec<char> = one.chars().collect();
            let lines = chars
                .chunks(format.line_len())
                .map(|c| c.iter().collect())
                .collect();
            return Ok((format, lines));
        }
        [first, _] => match len(first) {
            36 => MrzFormat::Td2,
            44 => MrzFormat::Td3,
            30 => {
                return Err(Error::Mrz(
                    "2 lines of 30 characters: a TD1 MRZ has 3 lines".into(),
                ));
            }
            n => {
                return Err(Error::Mrz(format!(
                    "line 1 has {n} characters: TD2 needs 36, TD3 needs 44"
                )));
            }
        },
        [first, _, _] => match len(first) {
            n @ (36 | 44) => {
                let two_line = if n == 44 { "TD3" } else { "TD2" };
                return Err(Error::Mrz(format!(
                    "3 lines, the first of {n} characters: that is a {two_line} MRZ, which has \
                     2 lines of {n} (a TD1 has 3 lines of 30)"
                )));
            }
            _ => MrzFormat::Td1,
        },
        more => {
            return Err(Error::Mrz(format!(
                "{} lines: an MRZ has 3 (TD1) or 2 (TD2, TD3)",
                more.len()
            )));
        }
    };
    for (n, line) in raw.iter().enumerate() {
        if len(line) != format.line_len() {
            return Err(Error::Mrz(format!(
                "line {} has {} characters, {} needs {}",
                n + 1,
                len(line),
                format.name(),
                format.line_len()
            )));
        }
    }
    Ok((format, raw.iter().map(|l| l.to_string()).collect()))
}

fn validate_chars(line: &str, n: usize) -> Result<()> {
    for (i, c) in line.chars().enumerate() {
        if c.is_ascii_lowercase() {
            return Err(Error::Mrz(format!(
                "line {n} position {}: lower-case {c:?}; MRZ letters are upper case",
                i + 1
            )));
        }
        if char_value(c).is_none() {
            return Err(Error::Mrz(format!(
                "line {n} position {}: {c:?} is not an MRZ character (0-9, A-Z or <)",
                i + 1
            )));
        }
    }
    Ok(())
}

/// TD1 (9303-5 clause 4.2.2): line 1 code, state, number, optional data; line 2 dates, sex,
/// nationality, optional data, composite; line 3 name.
fn parse_td1(l1: Line, l2: Line, l3: Line) -> Mrz {
    let (document_number, number_check, optional_data) =
        long_document_number(l1.span(6, 14), l1.at(15), l1.span(16, 30));
    let composite = [
        l1.span(6, 30),
        l2.span(1, 7),
        l2.span(9, 15),
        l2.span(19, 29),
    ]
    .concat();
    let (primary_identifier, secondary_identifier) = split_name(l3.span(1, 30));
    Mrz {
        format: MrzFormat::Td1,
        document_code: without_filler(l1.span(1, 2)),
        issuing_state: without_filler(l1.span(3, 5)),
        primary_identifier,
        secondary_identifier,
        document_number,
        nationality: without_filler(l2.span(16, 18)),
        date_of_birth: l2.span(1, 6).to_string(),
        sex: l2.span(8, 8).to_string(),
        date_of_expiry: l2.span(9, 14).to_string(),
        optional_data,
        optional_data_2: without_filler(l2.span(19, 29)),
        checks: vec![
            number_check,
            CheckResult::over("date of birth", l2.span(1, 6), l2.at(7)),
            CheckResult::over("date of expiry", l2.span(9, 14), l2.at(15)),
            CheckResult::over("composite", &composite, l2.at(30)),
        ],
        lines: Vec::new(),
    }
}

/// TD2 (9303-6 clause 4.2.2) and TD3 (9303-4 clause 4.2.2): line 1 code, state, name; line 2
/// number, nationality, dates, sex, optional data (TD3: personal number with its own check
/// digit) and the composite check digit.
fn parse_two_line(format: MrzFormat, l1: Line, l2: Line) -> Mrz {
    let len = format.line_len();
    let (primary_identifier, secondary_identifier) = split_name(l1.span(6, len));
    let number_field = l2.span(1, 9);
    let mut checks = Vec::with_capacity(5);
    let (document_number, optional_data) = if format == MrzFormat::Td2 {
        let (number, check, optional) =
            long_document_number(number_field, l2.at(10), l2.span(29, 35));
        checks.push(check);
        (number, optional)
    } else {
        checks.push(CheckResult::over(
            "document number",
            number_field,
            l2.at(10),
        ));
        (
            without_filler(number_field),
            without_filler(l2.span(29, 42)),
        )
    };
    checks.push(CheckResult::over(
        "date of birth",
        l2.span(14, 19),
        l2.at(20),
    ));
    checks.push(CheckResult::over(
        "date of expiry",
        l2.span(22, 27),
        l2.at(28),
    ));
    if format == MrzFormat::Td3 {
        let personal = l2.span(29, 42);
        let printed = l2.at(43);
        // 9303-4 note: an empty personal number may carry '<' instead of the digit 0.
        if printed == '<' && personal.chars().all(|c| c == '<') {
            checks.push(CheckResult {
                field: "personal number",
                expected: '<',
                computed: '<',
                ok: true,
            });
        } else {
            checks.push(CheckResult::over("personal number", personal, printed));
        }
    }
    let composite = [l2.span(1, 10), l2.span(14, 20), l2.span(22, len - 1)].concat();
    checks.push(CheckResult::over("composite", &composite, l2.at(len)));
    Mrz {
        format,
        document_code: without_filler(l1.span(1, 2)),
        issuing_state: without_filler(l1.span(3, 5)),
        primary_identifier,
        secondary_identifier,
        document_number,
        nationality: without_filler(l2.span(11, 13)),
        date_of_birth: l2.span(14, 19).to_string(),
        sex: l2.span(21, 21).to_string(),
        date_of_expiry: l2.span(22, 27).to_string(),
        optional_data,
        optional_data_2: String::new(),
        checks,
        lines: Vec::new(),
    }
}

/// The MRZ fields access control keys are derived from (ICAO 9303-11 clause 9.7.1.1 for BAC,
/// clause 4.3.2 for the PACE MRZ password). Zeroized on drop, compared in constant time and
/// redacted from `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MrzKeyInfo {
    document_number: String,
    date_of_birth: String,
    date_of_expiry: String,
}

impl MrzKeyInfo {
    /// Checks and stores the three fields: a document number of `0-9`, `A-Z`, `<` (trailing
    /// filler removed) and two YYMMDD dates with month 01-12 and day 01-31.
    pub fn new(document_number: &str, date_of_birth: &str, date_of_expiry: &str) -> Result<Self> {
        let number = document_number.trim_end_matches('<');
        if number.is_empty() {
            return Err(Error::Mrz("empty document number".into()));
        }
        if let Some(c) = number
            .chars()
            .find(|c| !(c.is_ascii_digit() || c.is_ascii_uppercase() || *c == '<'))
        {
            return Err(Error::Mrz(format!(
                "document number contains {c:?}: only 0-9, A-Z and < are allowed"
            )));
        }
        check_date("date of birth", date_of_birth)?;
        check_date("date of expiry", date_of_expiry)?;
        Ok(MrzKeyInfo {
            document_number: number.to_string(),
            date_of_birth: date_of_birth.to_string(),
            date_of_expiry: date_of_expiry.to_string(),
        })
    }

    /// The document number without trailing filler.
    pub fn document_number(&self) -> &str {
        &self.document_number
    }

    /// Date of birth, YYMMDD.
    pub fn date_of_birth(&self) -> &str {
        &self.date_of_birth
    }

    /// Date of expiry, YYMMDD.
    pub fn date_of_expiry(&self) -> &str {
        &self.date_of_expiry
    }

    /// MRZ_information (9303-11 clause 9.7.1.1): document number padded with `<` to at least 9
    /// characters, its check digit, date of birth, its check digit, date of expiry, its check
    /// digit. Zeroized when dropped.
    pub fn key_seed_string(&self) -> zeroize::Zeroizing<String> {
        let mut number = self.document_number.clone();
        while number.len() < 9 {
            number.push('<');
        }
        let mut out = zeroize::Zeroizing::new(String::with_capacity(number.len() + 15));
        for field in [number.as_str(), &self.date_of_birth, &self.date_of_expiry] {
            out.push_str(field);
            // Fields were validated in `new`; '<' never occurs as a computed digit.
            out.push(check_digit(field).map(digit_char).unwrap_or('<'));
        }
        number.zeroize();
        out
    }
}

impl PartialEq for MrzKeyInfo {
    fn eq(&self, other: &Self) -> bool {
        let fields = |k: &MrzKeyInfo| {
            [&k.document_number, &k.date_of_birth, &k.date_of_expiry].map(|f| f.as_bytes().to_vec())
        };
        let (mut a, mut b) = (fields(self), fields(other));
        let equal = a
            .iter()
            .zip(b.iter())
            .fold(subtle::Choice::from(1), |acc, (x, y)| acc & x.ct_eq(y));
        a.zeroize();
        b.zeroize();
        equal.into()
    }
}

impl Eq for MrzKeyInfo {}

impl fmt::Debug for MrzKeyInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MrzKeyInfo(<redacted>)")
    }
}

fn check_date(what: &str, date: &str) -> Result<()> {
    let bytes = date.as_bytes();
    let plausible = match bytes {
        [_, _, m1, m2, d1, d2] if bytes.iter().all(u8::is_ascii_digit) => {
            let month = (m1 - b'0') * 10 + (m2 - b'0');
            let day = (d1 - b'0') * 10 + (d2 - b'0');
            (1..=12).contains(&month) && (1..=31).contains(&day)
        }
        _ => false,
    };
    if plausible {
        Ok(())
    } else {
        Err(Error::Mrz(format!(
            "{what} must be 6 digits YYMMDD with month 01-12 and day 01-31"
        )))
    }
}

#[cfg(test)]
mod tests;

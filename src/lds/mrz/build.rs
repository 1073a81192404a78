//! Building a machine readable zone from its fields, the issuer's side of the MRZ
//! ([`Mrz::build`]): the TD3
//! layout of ICAO Doc 9303-4 clause 4.2.2 and the TD1 layout of 9303-5 clause 4.2.2 (with the
//! long document number of note j), check digits by 9303-3 clause 4.9, names by 9303-3 clause
//! 4.6 (primary and secondary identifiers, truncated with a warning when they do not fit).

use super::{Mrz, MrzFormat, check_digit, digit_char};
use crate::error::{Error, Result};

fn field_error(field: &str, message: impl std::fmt::Display) -> Error {
    Error::Mrz(format!("{field}: {message}"))
}

/// `value` in the MRZ alphabet (spaces become `<`), padded with `<` to `len`.
fn fill(field: &str, value: &str, len: usize) -> Result<String> {
    let mrz: String = value.trim().replace(' ', "<");
    if let Some(c) = mrz
        .chars()
        .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '<'))
    {
        return Err(field_error(
            field,
            format!("{c:?} is not an MRZ character (A-Z, 0-9; transliterate first)"),
        ));
    }
    if mrz.len() > len {
        return Err(field_error(
            field,
            format!("{} characters, at most {len} fit", mrz.len()),
        ));
    }
    Ok(format!("{mrz:<<len$}"))
}

fn date(field: &str, value: &str) -> Result<String> {
    if value.len() != 6 || !value.chars().all(|c| c.is_ascii_digit() || c == '<') {
        return Err(field_error(field, format!("{value:?} is not YYMMDD")));
    }
    Ok(value.to_string())
}

fn check(field: &str) -> Result<char> {
    check_digit(field).map(digit_char)
}

/// The name field: `PRIMARY<<SECONDARY`, truncated to `len` with a warning (9303-3 clause
/// 4.6.5: characters are cut from the end of the secondary identifier, then of the primary).
fn name_field(
    primary: &str,
    secondary: &str,
    len: usize,
    warnings: &mut Vec<String>,
) -> Result<String> {
    if primary.trim().is_empty() {
        return Err(field_error("primary identifier", "empty"));
    }
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join("<");
    let primary = words(primary);
    let secondary = words(secondary);
    let full = if secondary.is_empty() {
        primary.clone()
    } else {
        format!("{primary}<<{secondary}")
    };
    let name = if full.len() > len {
        warnings.push(format!(
            "name truncated to {len} characters (9303-3 clause 4.6.5): {full}"
        ));
        let mut cut = full.get(..len).unwrap_or(&full).to_string();
        // A truncated name ends with a letter, not a filler.
        while cut.ends_with('<') {
            cut.pop();
        }
        cut
    } else {
        full
    };
    fill("name", &name, len)
}

impl Mrz {
    /// The zone of these fields, laid out, check digits computed, parsed back and verified,
    /// with warnings (a truncated name). `lines` and `checks` of `self` are ignored; text
    /// must already be in the MRZ alphabet (A-Z, 0-9, spaces between name parts):
    /// transliteration (9303-3 clause 6) is the enrolment's job. TD1 takes a document number
    /// of up to 22 characters (9303-5 note j), TD3 up to 9. Names that do not fit are truncated
    /// with a warning; other fields that do not fit are errors naming the field.
    pub fn build(&self) -> Result<(Mrz, Vec<String>)> {
        let mut warnings = Vec::new();
        let lines = match self.format {
            MrzFormat::Td3 => self.td3(&mut warnings)?,
            MrzFormat::Td1 => self.td1(&mut warnings)?,
            MrzFormat::Td2 => {
                return Err(Error::Mrz(
                    "TD2 documents are not issued by this station".into(),
                ));
            }
        };
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let mrz = Mrz::from_lines(&refs)?;
        if !mrz.all_checks_pass() {
            return Err(Error::Mrz(format!(
                "built MRZ fails its own check digits: {}",
                lines.join(" / ")
            )));
        }
        Ok((mrz, warnings))
    }

    fn common(&self) -> Result<(String, String, String, String, String, String)> {
        Ok((
            fill("document code", &self.document_code, 2)?,
            fill("issuing state", &self.issuing_state, 3)?,
            fill("nationality", &self.nationality, 3)?,
            date("date of birth", &self.date_of_birth)?,
            match self.sex.as_str() {
                "F" | "M" | "X" | "<" => self.sex.clone(),
                other => return Err(field_error("sex", format!("{other:?} (F, M, X or <)"))),
            },
            date("date of expiry", &self.date_of_expiry)?,
        ))
    }

    fn td3(&self, warnings: &mut Vec<String>) -> Result<Vec<String>> {
        let (code, state, nationality, birth, sex, expiry) = self.common()?;
        let name = name_field(
            &self.primary_identifier,
            &self.secondary_identifier,
            39,
            warnings,
        )?;
        let number = fill("document number", &self.document_number, 9)?;
        let optional = fill("optional data", &self.optional_data, 14)?;
        let optional_check = if self.optional_data.trim().is_empty() {
            '<'
        } else {
            check(&optional)?
        };
        let (n, b, e) = (check(&number)?, check(&birth)?, check(&expiry)?);
        let composite = format!("{number}{n}{birth}{b}{expiry}{e}{optional}{optional_check}");
        let line2 = format!(
            "{number}{n}{nationality}{birth}{b}{sex}{expiry}{e}{optional}{optional_check}{}",
            check(&composite)?
        );
        Ok(vec![format!("{code}{state}{name}"), line2])
    }

    fn td1(&self, warnings: &mut Vec<String>) -> Result<Vec<String>> {
        let (code, state, nationality, birth, sex, expiry) = self.common()?;
        let number = self.document_number.trim();
        let (number_field, number_check, optional) = if number.len() > 9 {
            // Note j: nine characters, `<` for the check digit, the rest, its check digit and
            // a filler at the start of the optional data.
            let full = fill("document number", number, number.len())?;
            let (head, tail) = full.split_at(9);
            let optional = format!("{tail}{}<{}", check(&full)?, self.optional_data.trim());
            (head.to_string(), '<', fill("optional data", &optional, 15)?)
        } else {
            let field = fill("document number", number, 9)?;
            let c = check(&field)?;
            (field, c, fill("optional data", &self.optional_data, 15)?)
        };
        let line1 = format!("{code}{state}{number_field}{number_check}{optional}");
        let optional2 = fill("optional data 2", &self.optional_data_2, 11)?;
        let upper = line1.get(5..30).unwrap_or("");
        let (b, e) = (check(&birth)?, check(&expiry)?);
        let composite = format!("{upper}{birth}{b}{expiry}{e}{optional2}");
        let line2 = format!(
            "{birth}{b}{sex}{expiry}{e}{nationality}{optional2}{}",
            check(&composite)?
        );
        let name = name_field(
            &self.primary_identifier,
            &self.secondary_identifier,
            30,
            warnings,
        )?;
        Ok(vec![line1, line2, name])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specimen(format: MrzFormat, code: &str, number: &str, optional: &str) -> Mrz {
        Mrz {
            format,
            document_code: code.into(),
            issuing_state: "UTO".into(),
            primary_identifier: "ERIKSSON".into(),
            secondary_identifier: "ANNA MARIA".into(),
            document_number: number.into(),
            nationality: "UTO".into(),
            date_of_birth: "740812".into(),
            sex: "F".into(),
            date_of_expiry: "120415".into(),
            optional_data: optional.into(),
            optional_data_2: String::new(),
            checks: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// ICAO Doc 9303-4 appendix A: the TD3 specimen, byte for byte.
    #[test]
    fn td3_specimen() {
        let (mrz, warnings) = specimen(MrzFormat::Td3, "P", "L898902C3", "ZE184226B")
            .build()
            .unwrap();
        assert!(warnings.is_empty());
        assert_eq!(
            mrz.lines,
            [
                "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
            ]
        );
    }

    /// ICAO Doc 9303-5 appendix A: the TD1 specimen, byte for byte.
    #[test]
    fn td1_specimen_and_long_number() {
        let (mrz, _) = specimen(MrzFormat::Td1, "I", "D23145890", "")
            .build()
            .unwrap();
        assert_eq!(
            mrz.lines,
            [
                "I<UTOD231458907<<<<<<<<<<<<<<<",
                "7408122F1204159UTO<<<<<<<<<<<6",
                "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            ]
        );
        // 9303-5 note j: a 12-character number continues in the optional data.
        let (mrz, _) = specimen(MrzFormat::Td1, "I", "D23145890734", "")
            .build()
            .unwrap();
        assert_eq!(mrz.document_number, "D23145890734");
        assert!(
            mrz.lines[0].starts_with("I<UTOD23145890<7349<"),
            "{}",
            mrz.lines[0]
        );
        assert!(mrz.all_checks_pass());
    }

    /// Every zone dactyl parses comes back the same when built from its own fields.
    #[test]
    fn parsed_zones_rebuild_to_the_same_lines() {
        for zone in [
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
            "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
            "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<",
        ] {
            let parsed = Mrz::parse_verified(zone).unwrap();
            let (built, warnings) = parsed.build().unwrap();
            assert!(warnings.is_empty());
            assert_eq!(built.lines, parsed.lines, "{zone}");
            assert_eq!(built, parsed);
        }
    }

    #[test]
    fn long_names_are_truncated_with_a_warning_and_bad_fields_named() {
        let mut f = specimen(MrzFormat::Td1, "I", "D23145890", "");
        f.secondary_identifier = "ANNA MARIA CHRISTINA ELISABETH".into();
        let (mrz, warnings) = f.build().unwrap();
        assert_eq!(mrz.lines[2], "ERIKSSON<<ANNA<MARIA<CHRISTINA");
        assert!(warnings[0].contains("truncated"));
        let mut bad = specimen(MrzFormat::Td3, "P", "L898902C3", "");
        bad.primary_identifier = "Eriksson".into();
        assert!(bad.build().unwrap_err().to_string().contains("name"));
        let mut bad = specimen(MrzFormat::Td3, "P", "L898902C3X", "");
        assert!(
            bad.build()
                .unwrap_err()
                .to_string()
                .contains("document number")
        );
        bad.document_number = "L898902C3".into();
        bad.date_of_birth = "7408".into();
        assert!(
            bad.build()
                .unwrap_err()
                .to_string()
                .contains("date of birth")
        );
        bad.date_of_birth = "740812".into();
        bad.sex = "W".into();
        assert!(bad.build().unwrap_err().to_string().contains("sex"));
    }
}

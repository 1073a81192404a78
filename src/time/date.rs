//! A calendar date (proleptic Gregorian), `YYYY-MM-DD` in JSON and on the command line.

use super::Time;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// A calendar date (proleptic Gregorian), written `YYYY-MM-DD` in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    /// Year, 1 to 9999.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to the month's length.
    pub day: u8,
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// A date, checked: month 1-12, day within the month (29 February only in leap years).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date> {
        if !(1..=9999).contains(&year)
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
        {
            return Err(Error::Usage(format!(
                "invalid date {year:04}-{month:02}-{day:02}"
            )));
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date> {
        let bad = || Error::Usage(format!("date {s:?} is not YYYY-MM-DD"));
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u16> {
            s.get(r)
                .filter(|d| d.bytes().all(|c| c.is_ascii_digit()))
                .and_then(|d| d.parse().ok())
                .ok_or_else(bad)
        };
        Date::new(num(0..4)?, num(5..7)? as u8, num(8..10)? as u8)
    }

    /// Today's date (UTC).
    pub fn today() -> Date {
        Date::from_time(Time::now()).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
    }

    /// The UTC date of a point in time.
    pub fn from_time(t: Time) -> Result<Date> {
        Date::parse(t.to_iso().get(..10).unwrap_or_default())
    }

    /// The date `days` days later (earlier if negative).
    pub fn plus_days(self, days: i64) -> Result<Date> {
        let start = Time::from_civil(
            self.year.into(),
            self.month.into(),
            self.day.into(),
            0,
            0,
            0,
        )?;
        let unix = days
            .checked_mul(86_400)
            .and_then(|s| s.checked_add(start.unix))
            .ok_or_else(|| Error::Usage(format!("{self} plus {days} days is out of range")))?;
        Date::from_time(Time { unix })
    }

    /// Completed years of a person born on `self` at `on`; `None` if `on` is before `self`.
    pub fn age_on(self, on: Date) -> Option<u32> {
        if on < self {
            return None;
        }
        let years = u32::from(on.year - self.year);
        // 29 February: in a common year the anniversary is 1 March, which the tuple order gives.
        Some(if (on.month, on.day) < (self.month, self.day) {
            years - 1
        } else {
            years
        })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = Error;
    fn try_from(s: String) -> Result<Date> {
        Date::parse(&s)
    }
}

impl From<Date> for String {
    fn from(d: Date) -> String {
        d.to_string()
    }
}

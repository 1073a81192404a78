//! The card formats of finger minutiae, ISO/IEC 19794-2:2005 clause 8, and the biometric
//! algorithm parameters a match-on-card chip announces for them (ISO/IEC 7816-11 BAPT, tag B1;
//! 19794-2 clause 8.3 and Table 13).
//!
//! * Compact size (3 bytes per minutia): x and y in units of 0.1 mm (100 per cm, 0..=255), the
//!   type in bits 7-6 of the third byte (01 ending, 10 bifurcation, 00 other) and the angle in
//!   bits 5-0 in units of 360/64 degrees.
//! * Normal size (5 bytes per minutia): type in the top 2 bits of a 16-bit x, 2 reserved bits
//!   above a 16-bit y, both in units of 0.01 mm (14 bits), and the angle in units of 360/256.
//!
//! Record to card: coordinates are scaled from the record's resolution (pixels per cm) and
//! rounded; minutiae that do not fit the card's coordinate range are dropped; if the card takes
//! fewer minutiae than remain, the lowest-quality ones go first (ties: farthest from the centre
//! of mass, then ridge endings, then the largest angle; without quality data, farthest first),
//! as 19794-2 clause 9.3.2 says; then the minutiae are sorted in the order the card asks for.
//!
//! Card to record and back, every kept minutia lands within the quantisation error: at most
//! `res / (2 * units_per_cm) + 1/2` pixels per coordinate (half a card unit plus the rounding to
//! pixels: 1.49 px at 197 px/cm for the compact format) and, for the compact format, at most 2
//! record angle units (2.8 degrees, half a 360/64 step), measured around the circle.

use super::bytes::Reader;
use super::minutiae::{FingerMinutiae, Minutia, MinutiaType};
use crate::error::{Error, Result};
use crate::tlv::{self, Children};
use std::cmp::Ordering;

/// The two card formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum CardFormat {
    /// 3 bytes per minutia, 0.1 mm, 360/64 degrees.
    Compact,
    /// 5 bytes per minutia, 0.01 mm, 360/256 degrees.
    Normal,
}

impl CardFormat {
    /// Bytes per minutia.
    pub fn minutia_len(self) -> usize {
        match self {
            CardFormat::Compact => 3,
            CardFormat::Normal => 5,
        }
    }

    /// Coordinate units per centimetre.
    pub fn units_per_cm(self) -> u32 {
        match self {
            CardFormat::Compact => 100,
            CardFormat::Normal => 1000,
        }
    }

    /// The largest coordinate.
    pub fn max_coordinate(self) -> u16 {
        match self {
            CardFormat::Compact => 0xFF,
            CardFormat::Normal => 0x3FFF,
        }
    }

    /// Angle steps in a full turn.
    pub fn angle_steps(self) -> u16 {
        match self {
            CardFormat::Compact => 64,
            CardFormat::Normal => 256,
        }
    }
}

/// A minutia in a card format: coordinates in card units, angle in the format's steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct CardMinutia {
    /// Type.
    pub kind: MinutiaType,
    /// x from the left, in card units.
    pub x: u16,
    /// y from the top, in card units.
    pub y: u16,
    /// Angle counter-clockwise, in steps of 360 / `angle_steps` degrees.
    pub angle: u8,
}

/// Decodes card-format minutiae; the length must be a multiple of the minutia size.
pub fn decode(format: CardFormat, bytes: &[u8]) -> Result<Vec<CardMinutia>> {
    let size = format.minutia_len();
    if !bytes.len().is_multiple_of(size) {
        return Err(Error::Lds(format!(
            "{format:?} card minutiae: {} bytes is not a multiple of {size}",
            bytes.len()
        )));
    }
    let mut r = Reader::new(bytes, "card minutiae");
    let mut out = Vec::with_capacity(bytes.len() / size);
    while r.remaining() > 0 {
        out.push(match format {
            CardFormat::Compact => {
                let [x, y, t] = r.array::<3>("compact minutia")?;
                CardMinutia {
                    kind: MinutiaType::from_bits(t >> 6),
                    x: x.into(),
                    y: y.into(),
                    angle: t & 0x3F,
                }
            }
            CardFormat::Normal => {
                let x = r.u16("minutia x")?;
                let y = r.u16("minutia y")?;
                CardMinutia {
                    kind: MinutiaType::from_bits((x >> 14) as u8),
                    x: x & 0x3FFF,
                    y: y & 0x3FFF,
                    angle: r.u8("minutia angle")?,
                }
            }
        });
    }
    Ok(out)
}

/// Encodes card-format minutiae; values outside the format's ranges are an error.
pub fn encode(format: CardFormat, minutiae: &[CardMinutia]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(minutiae.len() * format.minutia_len());
    for m in minutiae {
        if m.x > format.max_coordinate()
            || m.y > format.max_coordinate()
            || u16::from(m.angle) >= format.angle_steps()
        {
            return Err(Error::Lds(format!(
                "{format:?} card minutia ({}, {}, angle {}) out of range",
                m.x, m.y, m.angle
            )));
        }
        match format {
            CardFormat::Compact => {
                out.extend_from_slice(&[m.x as u8, m.y as u8, (m.kind.bits() << 6) | m.angle]);
            }
            CardFormat::Normal => {
                out.extend_from_slice(&((u16::from(m.kind.bits()) << 14) | m.x).to_be_bytes());
                out.extend_from_slice(&m.y.to_be_bytes());
                out.push(m.angle);
            }
        }
    }
    Ok(out)
}

/// Sort method of the BAPT minutiae order byte (bits 0x1C).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum SortMethod {
    /// 0x00: no order required.
    None,
    /// 0x04: by x, then y (cartesian x-y).
    XY,
    /// 0x08: by y, then x (cartesian y-x).
    YX,
    /// 0x0C: by angle.
    Angle,
    /// 0x10: by distance from the centre of mass, then angle (polar).
    Polar,
}

/// The minutiae order of the BAPT (tag 82): a method and a direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MinutiaOrder {
    /// How to sort.
    pub method: SortMethod,
    /// Descending (0x02) rather than ascending (0x01).
    pub descending: bool,
}

impl MinutiaOrder {
    /// No order.
    pub const NONE: MinutiaOrder = MinutiaOrder {
        method: SortMethod::None,
        descending: false,
    };

    /// Reads the order byte: direction in bits 0x03 (1 ascending, 2 descending), method in
    /// bits 0x1C.
    pub fn from_byte(b: u8) -> Result<MinutiaOrder> {
        let method = match b & 0x1C {
            0x00 => SortMethod::None,
            0x04 => SortMethod::XY,
            0x08 => SortMethod::YX,
            0x0C => SortMethod::Angle,
            0x10 => SortMethod::Polar,
            m => return Err(Error::Lds(format!("minutiae order method {m:02X} unknown"))),
        };
        let descending = match (b & 0x03, method) {
            (0, SortMethod::None) | (1, _) => false,
            (2, _) => true,
            (d, _) => return Err(Error::Lds(format!("minutiae order {b:02X}: direction {d}"))),
        };
        if b & 0xE0 != 0 {
            return Err(Error::Lds(format!(
                "minutiae order {b:02X}: reserved bits set"
            )));
        }
        Ok(MinutiaOrder { method, descending })
    }

    /// The order byte.
    pub fn to_byte(self) -> u8 {
        let method = match self.method {
            SortMethod::None => return 0,
            SortMethod::XY => 0x04,
            SortMethod::YX => 0x08,
            SortMethod::Angle => 0x0C,
            SortMethod::Polar => 0x10,
        };
        method | if self.descending { 0x02 } else { 0x01 }
    }
}

/// Sorts minutiae in place. Polar follows NIST biomdi: integer centre of mass (truncated mean),
/// squared distance, ties by angle.
pub fn sort(minutiae: &mut [CardMinutia], order: MinutiaOrder) {
    let n = minutiae.len().max(1) as i64;
    let cx = minutiae.iter().map(|m| i64::from(m.x)).sum::<i64>() / n;
    let cy = minutiae.iter().map(|m| i64::from(m.y)).sum::<i64>() / n;
    let dist = |m: &CardMinutia| (i64::from(m.x) - cx).pow(2) + (i64::from(m.y) - cy).pow(2);
    let key = |a: &CardMinutia, b: &CardMinutia| -> Ordering {
        match order.method {
            SortMethod::None => Ordering::Equal,
            SortMethod::XY => (a.x, a.y, a.angle).cmp(&(b.x, b.y, b.angle)),
            SortMethod::YX => (a.y, a.x, a.angle).cmp(&(b.y, b.x, b.angle)),
            SortMethod::Angle => (a.angle, a.x, a.y).cmp(&(b.angle, b.x, b.y)),
            SortMethod::Polar => (dist(a), a.angle).cmp(&(dist(b), b.angle)),
        }
    };
    if order.descending {
        minutiae.sort_by(|a, b| key(b, a));
    } else {
        minutiae.sort_by(key);
    }
}

/// What a conversion to a card format should do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardOptions {
    /// The most minutiae the card takes (BAPT tag 81), if limited.
    pub max_minutiae: Option<usize>,
    /// The order the card wants (BAPT tag 82).
    pub order: MinutiaOrder,
}

impl Default for CardOptions {
    fn default() -> Self {
        CardOptions {
            max_minutiae: None,
            order: MinutiaOrder::NONE,
        }
    }
}

/// Minutiae ready for a card, and what was left out.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CardTemplate {
    /// The format.
    pub format: CardFormat,
    /// The minutiae, pruned and sorted.
    pub minutiae: Vec<CardMinutia>,
    /// Minutiae dropped because their coordinates do not fit the format.
    pub out_of_range: usize,
    /// Minutiae removed to respect the card's maximum.
    pub pruned: usize,
}

impl CardTemplate {
    /// The encoded minutiae.
    pub fn encode(&self) -> Result<Vec<u8>> {
        encode(self.format, &self.minutiae)
    }
}

fn checked_resolution(resolution: (u16, u16)) -> Result<(f64, f64)> {
    match resolution {
        (0, _) | (_, 0) => Err(Error::Lds(format!(
            "resolution {}x{} pixels per cm cannot scale minutiae",
            resolution.0, resolution.1
        ))),
        (x, y) => Ok((f64::from(x), f64::from(y))),
    }
}

/// Converts a view's minutiae (record pixels at `resolution` pixels per cm) to a card format.
pub fn from_record(
    view: &FingerMinutiae,
    resolution: (u16, u16),
    format: CardFormat,
    options: &CardOptions,
) -> Result<CardTemplate> {
    let (rx, ry) = checked_resolution(resolution)?;
    let units = f64::from(format.units_per_cm());
    let steps = u32::from(format.angle_steps());
    let max = f64::from(format.max_coordinate());
    let mut kept: Vec<(CardMinutia, u8, f64, f64)> = Vec::new();
    let mut out_of_range = 0;
    for m in &view.minutiae {
        let fx = f64::from(m.x) * units / rx;
        let fy = f64::from(m.y) * units / ry;
        let (x, y) = (fx.round(), fy.round());
        if x > max || y > max {
            out_of_range += 1;
            continue;
        }
        let angle = ((u32::from(m.angle) * steps + 128) / 256) % steps;
        let card = CardMinutia {
            kind: m.kind,
            x: x as u16,
            y: y as u16,
            angle: angle as u8,
        };
        kept.push((card, m.quality, fx, fy));
    }
    let mut pruned = 0;
    if let Some(limit) = options.max_minutiae
        && kept.len() > limit
    {
        let n = kept.len() as f64;
        let cx = kept.iter().map(|k| k.2).sum::<f64>() / n;
        let cy = kept.iter().map(|k| k.3).sum::<f64>() / n;
        let d = |k: &(CardMinutia, u8, f64, f64)| (k.2 - cx).powi(2) + (k.3 - cy).powi(2);
        let with_quality = kept.iter().any(|k| k.1 != 0);
        // Most expendable first: low quality, far, ending, large angle.
        kept.sort_by(|a, b| {
            let q = if with_quality {
                a.1.cmp(&b.1)
            } else {
                Ordering::Equal
            };
            q.then(d(b).total_cmp(&d(a)))
                .then((a.0.kind != MinutiaType::Ending).cmp(&(b.0.kind != MinutiaType::Ending)))
                .then(b.0.angle.cmp(&a.0.angle))
        });
        pruned = kept.len() - limit;
        kept.drain(..pruned);
    }
    let mut minutiae: Vec<CardMinutia> = kept.into_iter().map(|k| k.0).collect();
    sort(&mut minutiae, options.order);
    Ok(CardTemplate {
        format,
        minutiae,
        out_of_range,
        pruned,
    })
}

/// Converts card minutiae back to record minutiae at `resolution` pixels per cm (quality 0:
/// the card formats carry none).
pub fn to_record(
    minutiae: &[CardMinutia],
    format: CardFormat,
    resolution: (u16, u16),
) -> Result<Vec<Minutia>> {
    let (rx, ry) = checked_resolution(resolution)?;
    let units = f64::from(format.units_per_cm());
    let steps = u32::from(format.angle_steps());
    minutiae
        .iter()
        .map(|m| {
            let x = (f64::from(m.x) * rx / units).round();
            let y = (f64::from(m.y) * ry / units).round();
            if x > f64::from(0x3FFF_u16) || y > f64::from(0x3FFF_u16) {
                return Err(Error::Lds(format!(
                    "card minutia ({}, {}) lies beyond a record's 14-bit coordinates",
                    m.x, m.y
                )));
            }
            let angle = (u32::from(m.angle) * 256 / steps) % 256;
            Ok(Minutia::new(m.kind, x as u16, y as u16, angle as u8, 0))
        })
        .collect()
}

/// The biometric algorithm parameters template (BAPT, tag B1) of a match-on-card BIT
/// (ISO/IEC 19794-2:2005 clause 8.3, ISO/IEC 7816-11).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct AlgorithmParameters {
    /// Tag 81, first byte: the fewest minutiae the card compares.
    pub min_minutiae: Option<u8>,
    /// Tag 81, second byte: the most minutiae the card takes.
    pub max_minutiae: Option<u8>,
    /// Tag 82: the order the card expects.
    pub order: Option<MinutiaOrder>,
    /// Tag 83: feature handling indicator (ridge counts, core/delta; 0 none).
    pub feature_handling: Option<u8>,
}

/// Tag of the BAPT.
pub const BAPT_TAG: u32 = 0xB1;

impl AlgorithmParameters {
    /// Parses the value of a B1 template.
    pub fn parse(value: &[u8]) -> Result<AlgorithmParameters> {
        let mut p = AlgorithmParameters::default();
        for obj in Children::of(value) {
            let obj = obj?;
            match (obj.tag, obj.value) {
                (0x81, [min, max]) => {
                    p.min_minutiae = Some(*min);
                    p.max_minutiae = Some(*max);
                }
                (0x82, [order]) => p.order = Some(MinutiaOrder::from_byte(*order)?),
                (0x83, [f]) => p.feature_handling = Some(*f),
                (0x81..=0x83, v) => {
                    return Err(Error::Lds(format!(
                        "BAPT element {:X} has {} bytes",
                        obj.tag,
                        v.len()
                    )));
                }
                _ => {}
            }
        }
        Ok(p)
    }

    /// The value of the B1 template.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if let (Some(min), Some(max)) = (self.min_minutiae, self.max_minutiae) {
            out.extend(tlv::encode(0x81, &[min, max]));
        }
        if let Some(o) = self.order {
            out.extend(tlv::encode(0x82, &[o.to_byte()]));
        }
        if let Some(f) = self.feature_handling {
            out.extend(tlv::encode(0x83, &[f]));
        }
        out
    }

    /// Conversion options for a card with these parameters.
    pub fn options(&self) -> CardOptions {
        CardOptions {
            max_minutiae: self.max_minutiae.map(usize::from),
            order: self.order.unwrap_or(MinutiaOrder::NONE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::biometrics::FingerPosition;

    #[test]
    fn compact_and_normal_codecs() {
        let bytes = [0x10, 0x20, 0x7F, 0xFF, 0x00, 0x80];
        let m = decode(CardFormat::Compact, &bytes).unwrap();
        assert_eq!(m[0].kind, MinutiaType::Ending);
        assert_eq!((m[0].x, m[0].y, m[0].angle), (0x10, 0x20, 0x3F));
        assert_eq!(m[1].kind, MinutiaType::Bifurcation);
        assert_eq!(encode(CardFormat::Compact, &m).unwrap(), bytes);
        assert!(decode(CardFormat::Compact, &bytes[..4]).is_err());
        let normal = [0x40, 0x64, 0x00, 0x0E, 0x50];
        let n = decode(CardFormat::Normal, &normal).unwrap();
        assert_eq!(
            (n[0].kind, n[0].x, n[0].y, n[0].angle),
            (MinutiaType::Ending, 100, 14, 80)
        );
        assert_eq!(encode(CardFormat::Normal, &n).unwrap(), normal);
        let bad = CardMinutia {
            kind: MinutiaType::Other,
            x: 256,
            y: 0,
            angle: 0,
        };
        assert!(encode(CardFormat::Compact, &[bad]).is_err());
    }

    #[test]
    fn orders_read_and_write() {
        for b in [0x00, 0x05, 0x06, 0x09, 0x0A, 0x0D, 0x0E, 0x11, 0x12] {
            assert_eq!(MinutiaOrder::from_byte(b).unwrap().to_byte(), b);
        }
        for b in [0x03, 0x04, 0x14, 0x21, 0x07] {
            assert!(MinutiaOrder::from_byte(b).is_err(), "{b:02X}");
        }
    }

    #[test]
    fn prunes_lowest_quality_then_farthest() {
        let ms = vec![
            Minutia::new(MinutiaType::Ending, 100, 100, 0, 90),
            Minutia::new(MinutiaType::Ending, 110, 100, 0, 20),
            Minutia::new(MinutiaType::Bifurcation, 300, 300, 0, 60),
            Minutia::new(MinutiaType::Ending, 120, 100, 0, 60),
        ];
        let view = FingerMinutiae::new(FingerPosition::RIGHT_INDEX, 80, ms);
        let opts = CardOptions {
            max_minutiae: Some(2),
            order: MinutiaOrder::from_byte(0x05).unwrap(),
        };
        let t = from_record(&view, (197, 197), CardFormat::Compact, &opts).unwrap();
        assert_eq!(t.pruned, 2);
        // Quality 20 goes first; of the two at 60, the farther bifurcation at (300, 300).
        let xs: Vec<u16> = t.minutiae.iter().map(|m| m.x).collect();
        assert_eq!(xs, [51, 61]);
        assert!(from_record(&view, (0, 197), CardFormat::Compact, &opts).is_err());
    }
}

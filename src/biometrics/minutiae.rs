//! Finger minutiae records, ISO/IEC 19794-2:2005 clause 7 ("FMR\0", version " 20\0") and
//! ISO/IEC 19794-2:2011 clause 7 ("FMR\0", version "030\0").
//!
//! 2005: a 24-byte record header (record length in 4 bytes, capture equipment compliance and ID,
//! image size, resolution in pixels per centimetre, number of finger views) and finger views: a
//! 4-byte view header (position, view number and impression type, finger quality, number of
//! minutiae), 6 bytes per minutia (type in the top 2 bits of x, x, 2 reserved bits and y, angle
//! in units of 360/256 degrees, quality) and extended data (2-byte length, then blocks of type,
//! length and data, which dactyl keeps as bytes).
//!
//! 2011: a 15-byte general header (record length, number of representations, certification
//! flag) and representations, each with its own length, capture time, capture device, quality
//! and certification blocks, resolution and image size, a minutia field length of 5 (no
//! quality) or 6 bytes, the minutiae and the extended data.
//!
//! The parser is lenient where the data still make sense: a record length field that disagrees
//! with the record (the NIST sample of 19794-2:2005 Annex C.2 says 340 bytes and has 341), bytes
//! after the last view, minutiae outside the image, become warnings, not errors.

use super::bytes::{Reader, fit, length_field, length_warnings};
pub use super::minutiae_2011::Representation2011;
use super::minutiae_2011::{read_2011, write_view_2011};
use super::{FingerPosition, ImpressionType, ser_hex};
use crate::error::{Error, Result};

/// The format identifier "FMR\0".
pub const FORMAT_ID: [u8; 4] = *b"FMR\0";
/// The version of the 2005 edition, " 20\0".
pub const VERSION_2005: [u8; 4] = *b" 20\0";
/// The version of the 2011 edition, "030\0".
pub const VERSION_2011: [u8; 4] = *b"030\0";

/// Minutia type (the top two bits of the x field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MinutiaType {
    /// 00: other.
    Other,
    /// 01: ridge ending.
    Ending,
    /// 10: ridge bifurcation.
    Bifurcation,
    /// 11: reserved.
    Reserved,
}

impl MinutiaType {
    /// The type of two bits (only the low two bits of `bits` count).
    pub fn from_bits(bits: u8) -> MinutiaType {
        match bits & 3 {
            1 => MinutiaType::Ending,
            2 => MinutiaType::Bifurcation,
            3 => MinutiaType::Reserved,
            _ => MinutiaType::Other,
        }
    }

    /// The two bits of the type.
    pub fn bits(self) -> u8 {
        match self {
            MinutiaType::Other => 0,
            MinutiaType::Ending => 1,
            MinutiaType::Bifurcation => 2,
            MinutiaType::Reserved => 3,
        }
    }
}

/// One minutia of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Minutia {
    /// Type.
    pub kind: MinutiaType,
    /// x in pixels from the left edge (14 bits).
    pub x: u16,
    /// y in pixels from the top edge (14 bits).
    pub y: u16,
    /// Angle counter-clockwise from the horizontal, in units of 360/256 degrees.
    pub angle: u8,
    /// Quality, 1 to 100 (0: not reported).
    pub quality: u8,
    /// The two reserved bits above y, kept as found.
    #[serde(skip_serializing_if = "is_zero")]
    pub reserved: u8,
}

fn is_zero(v: &u8) -> bool {
    *v == 0
}

impl Minutia {
    /// A minutia with the reserved bits clear.
    pub fn new(kind: MinutiaType, x: u16, y: u16, angle: u8, quality: u8) -> Minutia {
        Minutia {
            kind,
            x,
            y,
            angle,
            quality,
            reserved: 0,
        }
    }

    /// The angle in degrees.
    pub fn degrees(&self) -> f64 {
        f64::from(self.angle) * 360.0 / 256.0
    }

    fn read(r: &mut Reader<'_>, with_quality: bool) -> Result<Minutia> {
        let x = r.u16("minutia x")?;
        let y = r.u16("minutia y")?;
        let angle = r.u8("minutia angle")?;
        let quality = if with_quality {
            r.u8("minutia quality")?
        } else {
            0
        };
        Ok(Minutia {
            kind: MinutiaType::from_bits((x >> 14) as u8),
            x: x & 0x3FFF,
            y: y & 0x3FFF,
            angle,
            quality,
            reserved: (y >> 14) as u8,
        })
    }

    fn write(&self, out: &mut Vec<u8>, with_quality: bool) -> Result<()> {
        if self.x > 0x3FFF || self.y > 0x3FFF || self.reserved > 3 {
            return Err(Error::Lds(format!(
                "minutia ({}, {}) does not fit 14-bit coordinates",
                self.x, self.y
            )));
        }
        let x = (u16::from(self.kind.bits()) << 14) | self.x;
        let y = (u16::from(self.reserved) << 14) | self.y;
        out.extend_from_slice(&x.to_be_bytes());
        out.extend_from_slice(&y.to_be_bytes());
        out.push(self.angle);
        if with_quality {
            out.push(self.quality);
        }
        Ok(())
    }
}

/// The edition of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Edition {
    /// ISO/IEC 19794-2:2005.
    #[serde(rename = "ISO/IEC 19794-2:2005")]
    Iso2005,
    /// ISO/IEC 19794-2:2011.
    #[serde(rename = "ISO/IEC 19794-2:2011")]
    Iso2011,
}

/// A finger minutiae record of either edition.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct MinutiaeRecord {
    /// Which edition the record follows.
    pub edition: Edition,
    /// 2005: capture equipment compliance (4 bits).
    pub equipment_compliance: u8,
    /// 2005: capture equipment ID (12 bits).
    pub equipment_id: u16,
    /// 2005: image width in pixels.
    pub width: u16,
    /// 2005: image height in pixels.
    pub height: u16,
    /// 2005: horizontal resolution in pixels per centimetre.
    pub resolution_x: u16,
    /// 2005: vertical resolution in pixels per centimetre.
    pub resolution_y: u16,
    /// 2005: the reserved byte, kept as found.
    pub reserved: u8,
    /// 2011: certification flag.
    pub certification_flag: u8,
    /// Finger views (2005) or representations (2011).
    pub views: Vec<FingerMinutiae>,
    /// Bytes after the last view, kept so the record re-encodes as read.
    #[serde(serialize_with = "ser_hex", skip_serializing_if = "Vec::is_empty")]
    pub trailing: Vec<u8>,
    /// The record length field as read (none for records built in memory); written back when
    /// it was consistent with the data (counting the views, with or without the trailing
    /// bytes), else replaced by the true length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_length: Option<u32>,
    /// What was odd but readable.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The minutiae of one finger view or representation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FingerMinutiae {
    /// Finger position.
    pub position: FingerPosition,
    /// View number (2005, 4 bits) or representation number (2011).
    pub view_number: u8,
    /// Impression type (4 bits in 2005).
    pub impression: ImpressionType,
    /// 2005: finger quality, 0 to 100. 2011: the first quality block's score, for information
    /// (the blocks are what is written).
    pub quality: u8,
    /// The minutiae.
    pub minutiae: Vec<Minutia>,
    /// The extended data (ridge counts, core and delta, vendor blocks) without its length.
    #[serde(serialize_with = "ser_hex", skip_serializing_if = "Vec::is_empty")]
    pub extended: Vec<u8>,
    /// 2011: the representation header fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representation: Option<Representation2011>,
}

/// One block of extended data: type ID and data.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ExtendedBlock {
    /// Type ID: 1 ridge counts, 2 cores and deltas, 0x0100.. vendor defined.
    pub type_id: u16,
    /// The data.
    #[serde(serialize_with = "ser_hex")]
    pub data: Vec<u8>,
}

impl FingerMinutiae {
    /// A 2005 finger view: view 0, live-scan plain.
    pub fn new(position: FingerPosition, quality: u8, minutiae: Vec<Minutia>) -> Self {
        FingerMinutiae {
            position,
            view_number: 0,
            impression: ImpressionType::LIVE_PLAIN,
            quality,
            minutiae,
            extended: Vec::new(),
            representation: None,
        }
    }

    /// The extended data as blocks of type ID, length and data. The block length counts the
    /// 4-byte block header in ISO/IEC 19794-2:2011 and in the 2005 Annex C.2 example; some 2005
    /// writers count the data alone. Whichever reading splits the area exactly is used (the
    /// first, if both do); an error if neither does.
    pub fn extended_blocks(&self) -> Result<Vec<ExtendedBlock>> {
        split_blocks(&self.extended, 4).or_else(|e| split_blocks(&self.extended, 0).map_err(|_| e))
    }
}

fn split_blocks(area: &[u8], header_counted: usize) -> Result<Vec<ExtendedBlock>> {
    let mut r = Reader::new(area, "extended data");
    let mut blocks = Vec::new();
    while r.remaining() > 0 {
        let type_id = r.u16("extended data block type")?;
        let len = r.u16("extended data block length")?;
        let data_len = usize::from(len)
            .checked_sub(header_counted)
            .ok_or_else(|| Error::Lds(format!("extended data block length {len} below 4")))?;
        let data = r.take(data_len, "extended data block")?.to_vec();
        blocks.push(ExtendedBlock { type_id, data });
    }
    Ok(blocks)
}

pub(crate) const WHAT: &str = "ISO/IEC 19794-2 finger minutiae record";

impl MinutiaeRecord {
    /// A 2005 record for an image of `width` x `height` pixels at `resolution` pixels per
    /// centimetre in both directions.
    pub fn new_2005(width: u16, height: u16, resolution: u16, views: Vec<FingerMinutiae>) -> Self {
        MinutiaeRecord {
            edition: Edition::Iso2005,
            equipment_compliance: 0,
            equipment_id: 0,
            width,
            height,
            resolution_x: resolution,
            resolution_y: resolution,
            reserved: 0,
            certification_flag: 0,
            views,
            trailing: Vec::new(),
            declared_length: None,
            warnings: Vec::new(),
        }
    }

    /// Parses a record of either edition that fills `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<MinutiaeRecord> {
        let mut r = Reader::new(bytes, WHAT);
        if r.array::<4>("format identifier")? != FORMAT_ID {
            return Err(Error::Lds(format!(
                "{WHAT}: format identifier {} is not \"FMR\\0\"",
                hex::encode_upper(bytes.get(..4).unwrap_or(bytes))
            )));
        }
        let version: [u8; 4] = r.array("version")?;
        let declared = r.u32("record length")?;
        let ansi_len = usize::from((declared >> 16) as u16);
        if version == VERSION_2005 && declared as usize != bytes.len() && ansi_len == bytes.len() {
            return Err(Error::Lds(format!(
                "{WHAT}: this is an ANSI/INCITS 378-2004 record (2-byte length {ansi_len}), \
                 not ISO/IEC 19794-2"
            )));
        }
        let mut rec = match version {
            VERSION_2005 => read_2005(&mut r)?,
            VERSION_2011 => read_2011(&mut r)?,
            v => {
                return Err(Error::Lds(format!(
                    "{WHAT}: version {:?} is neither \" 20\" (2005) nor \"030\" (2011)",
                    String::from_utf8_lossy(&v)
                )));
            }
        };
        rec.trailing = r.rest().to_vec();
        rec.declared_length = Some(declared);
        let structure = bytes.len() - rec.trailing.len();
        let mut warnings = length_warnings(u64::from(declared), structure, rec.trailing.len());
        warnings.append(&mut rec.warnings);
        rec.warnings = warnings;
        Ok(rec)
    }

    /// Encodes the record in its edition, with length fields computed from the data.
    pub fn encode(&self) -> Result<Vec<u8>> {
        let mut body = Vec::new();
        let (version, header_len) = match self.edition {
            Edition::Iso2005 => (VERSION_2005, 24),
            Edition::Iso2011 => (VERSION_2011, 15),
        };
        for v in &self.views {
            match self.edition {
                Edition::Iso2005 => write_view_2005(v, &mut body)?,
                Edition::Iso2011 => body.extend(write_view_2011(v, self.certification_flag)?),
            }
        }
        let structure = header_len + body.len();
        body.extend_from_slice(&self.trailing);
        let total = length_field(
            self.declared_length.map(u64::from),
            structure,
            self.trailing.len(),
        );
        let total: u32 = fit(total as usize, "record length")?;
        let mut out = Vec::with_capacity(header_len + body.len());
        out.extend_from_slice(&FORMAT_ID);
        out.extend_from_slice(&version);
        out.extend_from_slice(&total.to_be_bytes());
        match self.edition {
            Edition::Iso2005 => {
                if self.equipment_compliance > 0x0F || self.equipment_id > 0x0FFF {
                    return Err(Error::Lds("capture equipment field overflow".into()));
                }
                let equipment = (u16::from(self.equipment_compliance) << 12) | self.equipment_id;
                for v in [
                    equipment,
                    self.width,
                    self.height,
                    self.resolution_x,
                    self.resolution_y,
                ] {
                    out.extend_from_slice(&v.to_be_bytes());
                }
                out.push(fit(self.views.len(), "number of finger views")?);
                out.push(self.reserved);
            }
            Edition::Iso2011 => {
                let n: u16 = fit(self.views.len(), "number of representations")?;
                out.extend_from_slice(&n.to_be_bytes());
                out.push(self.certification_flag);
            }
        }
        out.extend(body);
        Ok(out)
    }

    /// The resolution (pixels per centimetre, x and y) that applies to a view of this record.
    pub fn resolution_of(&self, view: &FingerMinutiae) -> (u16, u16) {
        match &view.representation {
            Some(p) => (p.resolution_x, p.resolution_y),
            None => (self.resolution_x, self.resolution_y),
        }
    }

    /// The image size (width, height) that applies to a view of this record.
    pub fn size_of(&self, view: &FingerMinutiae) -> (u16, u16) {
        match &view.representation {
            Some(p) => (p.width, p.height),
            None => (self.width, self.height),
        }
    }

    /// The view of `finger`: the one with that position, or the record's only view when it
    /// names no finger (position 0, as some scanner SDKs write), then with `true` (assumed).
    /// Another finger's view is never taken: the error names the fingers the record holds.
    pub fn view_of(&self, finger: FingerPosition) -> Result<(&FingerMinutiae, bool)> {
        if let Some(v) = self.views.iter().find(|v| v.position == finger) {
            return Ok((v, false));
        }
        match self.views.as_slice() {
            [only] if only.position == FingerPosition::UNKNOWN => Ok((only, true)),
            views => Err(Error::Usage(format!(
                "the minutiae record holds no {} (it holds: {})",
                finger.name(),
                super::position_names(views.iter().map(|v| v.position))
            ))),
        }
    }

    /// Adds a warning for each view with minutiae outside its image or of the reserved type.
    pub(crate) fn check(&mut self) {
        let mut warnings = Vec::new();
        for (i, v) in self.views.iter().enumerate() {
            let (w, h) = self.size_of(v);
            let outside = v
                .minutiae
                .iter()
                .filter(|m| (w > 0 && m.x >= w) || (h > 0 && m.y >= h))
                .count();
            if outside > 0 {
                warnings.push(format!(
                    "view {i}: {outside} minutiae lie outside the {w}x{h} image"
                ));
            }
            let reserved = v
                .minutiae
                .iter()
                .filter(|m| m.kind == MinutiaType::Reserved)
                .count();
            if reserved > 0 {
                warnings.push(format!(
                    "view {i}: {reserved} minutiae have the reserved type 11"
                ));
            }
        }
        self.warnings.extend(warnings);
    }
}

pub(crate) fn read_minutiae_and_extended(
    r: &mut Reader<'_>,
    count: u8,
    with_quality: bool,
) -> Result<(Vec<Minutia>, Vec<u8>)> {
    let minutiae = (0..count)
        .map(|_| Minutia::read(r, with_quality))
        .collect::<Result<Vec<_>>>()?;
    let ext_len = r.u16("extended data length")?;
    let extended = r.take(usize::from(ext_len), "extended data")?.to_vec();
    Ok((minutiae, extended))
}

pub(crate) fn write_minutiae_and_extended(
    v: &FingerMinutiae,
    with_quality: bool,
    out: &mut Vec<u8>,
) -> Result<()> {
    out.push(fit(v.minutiae.len(), "number of minutiae")?);
    for m in &v.minutiae {
        m.write(out, with_quality)?;
    }
    let ext_len: u16 = fit(v.extended.len(), "extended data length")?;
    out.extend_from_slice(&ext_len.to_be_bytes());
    out.extend_from_slice(&v.extended);
    Ok(())
}

fn read_2005(r: &mut Reader<'_>) -> Result<MinutiaeRecord> {
    let equipment = r.u16("capture equipment")?;
    let width = r.u16("image width")?;
    let height = r.u16("image height")?;
    let resolution_x = r.u16("x resolution")?;
    let resolution_y = r.u16("y resolution")?;
    let count = r.u8("number of finger views")?;
    let reserved = r.u8("reserved")?;
    let mut views = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let position = FingerPosition(r.u8("finger position")?);
        let view_impression = r.u8("view number and impression type")?;
        let quality = r.u8("finger quality")?;
        let n = r.u8("number of minutiae")?;
        let (minutiae, extended) = read_minutiae_and_extended(r, n, true)?;
        views.push(FingerMinutiae {
            position,
            view_number: view_impression >> 4,
            impression: ImpressionType(view_impression & 0x0F),
            quality,
            minutiae,
            extended,
            representation: None,
        });
    }
    let mut rec = MinutiaeRecord {
        edition: Edition::Iso2005,
        equipment_compliance: (equipment >> 12) as u8,
        equipment_id: equipment & 0x0FFF,
        width,
        height,
        resolution_x,
        resolution_y,
        reserved,
        certification_flag: 0,
        views,
        trailing: Vec::new(),
        declared_length: None,
        warnings: Vec::new(),
    };
    rec.check();
    Ok(rec)
}

fn write_view_2005(v: &FingerMinutiae, out: &mut Vec<u8>) -> Result<()> {
    if v.view_number > 0x0F || v.impression.0 > 0x0F {
        return Err(Error::Lds(format!(
            "view number {} or impression type {} does not fit 4 bits",
            v.view_number, v.impression.0
        )));
    }
    out.extend_from_slice(&[
        v.position.0,
        (v.view_number << 4) | v.impression.0,
        v.quality,
    ]);
    write_minutiae_and_extended(v, true, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_reads_a_2005_record() {
        let rec = MinutiaeRecord::new_2005(
            256,
            360,
            197,
            vec![FingerMinutiae::new(
                FingerPosition::RIGHT_THUMB,
                60,
                vec![
                    Minutia::new(MinutiaType::Ending, 10, 20, 64, 50),
                    Minutia::new(MinutiaType::Bifurcation, 255, 359, 255, 100),
                ],
            )],
        );
        let bytes = rec.encode().unwrap();
        assert_eq!(bytes.len(), 24 + 4 + 12 + 2);
        let back = MinutiaeRecord::parse(&bytes).unwrap();
        assert_eq!(back.declared_length, Some(42));
        assert_eq!(back.views, rec.views);
        for n in 0..bytes.len() {
            assert!(MinutiaeRecord::parse(&bytes[..n]).is_err(), "{n}");
        }
        let mut big = rec.clone();
        big.views[0].minutiae[0].x = 0x4000;
        assert!(big.encode().is_err());
        let mut outside = rec;
        outside.views[0].minutiae[0].x = 300;
        let parsed = MinutiaeRecord::parse(&outside.encode().unwrap()).unwrap();
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
    }

    #[test]
    fn extended_blocks_split() {
        let mut v = FingerMinutiae::new(FingerPosition::UNKNOWN, 0, vec![]);
        v.extended = vec![0, 1, 0, 6, 0xAA, 0xBB, 0x01, 0x00, 0, 4];
        let blocks = v.extended_blocks().unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].data, [0xAA, 0xBB]);
        assert_eq!(blocks[1].type_id, 0x0100);
        v.extended = vec![0, 1, 0, 3];
        assert!(v.extended_blocks().is_err());
        v.extended = vec![0, 2, 0, 2, 0xAA, 0xBB];
        assert_eq!(v.extended_blocks().unwrap()[0].data, [0xAA, 0xBB]);
    }
}

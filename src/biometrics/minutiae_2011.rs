//! The representations of ISO/IEC 19794-2:2011 finger minutiae records (clause 7.2 to 7.5):
//! representation length, capture date and time, capture device technology, vendor and type,
//! quality and certification blocks, finger position, representation number, resolution,
//! impression type, image size, minutia field length (5 or 6 bytes) and ridge ending type, then
//! the minutiae and extended data shared with the 2005 edition
//! ([`crate::biometrics::minutiae`]).

use super::bytes::{Reader, fit};
use super::minutiae::{
    Edition, FingerMinutiae, MinutiaeRecord, WHAT, read_minutiae_and_extended,
    write_minutiae_and_extended,
};
use super::{
    CaptureTime, CertificationBlock, FingerPosition, ImpressionType, QualityBlock,
    read_certification_blocks, read_quality_blocks, write_quality_and_certification,
};
use crate::error::{Error, Result};

/// The representation header fields of ISO/IEC 19794-2:2011.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Representation2011 {
    /// Capture date and time.
    pub capture_time: CaptureTime,
    /// Capture device technology ID.
    pub device_technology: u8,
    /// Capture device vendor ID.
    pub device_vendor: u16,
    /// Capture device type ID.
    pub device_type: u16,
    /// Quality blocks.
    pub quality_blocks: Vec<QualityBlock>,
    /// Certification blocks (only with the record's certification flag).
    pub certification_blocks: Vec<CertificationBlock>,
    /// Horizontal resolution in pixels per centimetre.
    pub resolution_x: u16,
    /// Vertical resolution in pixels per centimetre.
    pub resolution_y: u16,
    /// Image width in pixels.
    pub width: u16,
    /// Image height in pixels.
    pub height: u16,
    /// Bytes per minutia: 6 with quality, 5 without.
    pub minutia_size: u8,
    /// Ridge ending type (4 bits).
    pub ending_type: u8,
}

pub(crate) fn read_2011(r: &mut Reader<'_>) -> Result<MinutiaeRecord> {
    let count = r.u16("number of representations")?;
    let flag = r.u8("certification flag")?;
    let mut views = Vec::new();
    for i in 0..count {
        let len = r.u32("representation length")?;
        let body_len = usize::try_from(len)
            .ok()
            .and_then(|l| l.checked_sub(4))
            .ok_or_else(|| Error::Lds(format!("{WHAT}: representation {i} length {len}")))?;
        let mut rr = Reader::new(r.take(body_len, "representation")?, WHAT);
        let capture_time = CaptureTime::read(&mut rr)?;
        let device_technology = rr.u8("capture device technology ID")?;
        let device_vendor = rr.u16("capture device vendor ID")?;
        let device_type = rr.u16("capture device type ID")?;
        let quality_blocks = read_quality_blocks(&mut rr)?;
        let certification_blocks = if flag != 0 {
            read_certification_blocks(&mut rr)?
        } else {
            Vec::new()
        };
        let position = FingerPosition(rr.u8("finger position")?);
        let view_number = rr.u8("representation number")?;
        let resolution_x = rr.u16("x resolution")?;
        let resolution_y = rr.u16("y resolution")?;
        let impression = ImpressionType(rr.u8("impression type")?);
        let width = rr.u16("image width")?;
        let height = rr.u16("image height")?;
        let field = rr.u8("minutia field length and ridge ending type")?;
        let minutia_size = field >> 4;
        if minutia_size != 5 && minutia_size != 6 {
            return Err(Error::Lds(format!(
                "{WHAT}: representation {i} minutia field length {minutia_size}, not 5 or 6"
            )));
        }
        let n = rr.u8("number of minutiae")?;
        let (minutiae, extended) = read_minutiae_and_extended(&mut rr, n, minutia_size == 6)?;
        if rr.remaining() > 0 {
            return Err(Error::Lds(format!(
                "{WHAT}: representation {i} has {} bytes after its extended data",
                rr.remaining()
            )));
        }
        views.push(FingerMinutiae {
            position,
            view_number,
            impression,
            quality: quality_blocks.first().map_or(0, |q| q.score),
            minutiae,
            extended,
            representation: Some(Representation2011 {
                capture_time,
                device_technology,
                device_vendor,
                device_type,
                quality_blocks,
                certification_blocks,
                resolution_x,
                resolution_y,
                width,
                height,
                minutia_size,
                ending_type: field & 0x0F,
            }),
        });
    }
    let mut rec = MinutiaeRecord {
        edition: Edition::Iso2011,
        equipment_compliance: 0,
        equipment_id: 0,
        width: 0,
        height: 0,
        resolution_x: 0,
        resolution_y: 0,
        reserved: 0,
        certification_flag: flag,
        views,
        trailing: Vec::new(),
        declared_length: None,
        warnings: Vec::new(),
    };
    rec.check();
    Ok(rec)
}

pub(crate) fn write_view_2011(v: &FingerMinutiae, flag: u8) -> Result<Vec<u8>> {
    let p = v.representation.as_ref().ok_or_else(|| {
        Error::Lds("a 2011 record's view needs its representation header fields".into())
    })?;
    if (p.minutia_size != 5 && p.minutia_size != 6) || p.ending_type > 0x0F {
        return Err(Error::Lds(format!(
            "minutia field length {} (5 or 6) or ridge ending type {} (4 bits) out of range",
            p.minutia_size, p.ending_type
        )));
    }
    let mut body = Vec::new();
    p.capture_time.write(&mut body);
    body.push(p.device_technology);
    body.extend_from_slice(&p.device_vendor.to_be_bytes());
    body.extend_from_slice(&p.device_type.to_be_bytes());
    write_quality_and_certification(&mut body, &p.quality_blocks, flag, &p.certification_blocks)?;
    body.extend_from_slice(&[v.position.0, v.view_number]);
    body.extend_from_slice(&p.resolution_x.to_be_bytes());
    body.extend_from_slice(&p.resolution_y.to_be_bytes());
    body.push(v.impression.0);
    body.extend_from_slice(&p.width.to_be_bytes());
    body.extend_from_slice(&p.height.to_be_bytes());
    body.push((p.minutia_size << 4) | p.ending_type);
    write_minutiae_and_extended(v, p.minutia_size == 6, &mut body)?;
    let len: u32 = fit(body.len() + 4, "representation length")?;
    let mut out = len.to_be_bytes().to_vec();
    out.extend(body);
    Ok(out)
}

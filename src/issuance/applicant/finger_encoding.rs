//! The finger images the issuing station writes into DG3 (ICAO Doc 9303-10 clause 4.7.3,
//! ISO/IEC 19794-4 clause 8.3.14): the scanner's file (WSQ, PNG, JPEG, JPEG 2000 or raw 8-bit
//! grey) decoded, then written in the compression the station chose: WSQ (FBI IAFIS-IC-0110
//! v3.1, the EU passport profile's choice and the default, at 0.75 bit per pixel), PNG or
//! lossless JPEG 2000. A file already in the chosen format is kept byte for byte (no second
//! generation of loss); any other is transcoded, with a warning when its source was lossy.
//!
//! Whatever is written is decoded again before it goes into DG3: its size must be the
//! scanner's, a lossless format must give back the same pixels, and WSQ must stay above a
//! quality floor. An image that fails is refused, never written.

use crate::biometrics::Compression;
use crate::biometrics::pixels::{self, GrayImage, Pixels, Resolution, ResolutionUnit};
use crate::biometrics::wsq;
use crate::error::{Error, Result};

/// The compression DG3's finger images are written in (`--finger-compression`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FingerCompression {
    /// WSQ at [`FingerEncoding::wsq_bits_per_pixel`] (the default).
    #[default]
    Wsq,
    /// PNG (lossless).
    Png,
    /// JPEG 2000, lossless (reversible 5/3 wavelet), in a JP2 file.
    Jpeg2000,
}

impl FingerCompression {
    /// The algorithm as the record names it.
    pub fn compression(self) -> Compression {
        match self {
            FingerCompression::Wsq => Compression::Wsq,
            FingerCompression::Png => Compression::Png,
            FingerCompression::Jpeg2000 => Compression::Jpeg2000,
        }
    }
}

/// How DG3's finger images are written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FingerEncoding {
    /// The format.
    pub compression: FingerCompression,
    /// WSQ's bit rate (bits per pixel; 0.75 is the usual 15:1 of 500 ppi fingerprints).
    pub wsq_bits_per_pixel: f32,
}

impl Default for FingerEncoding {
    fn default() -> Self {
        FingerEncoding {
            compression: FingerCompression::Wsq,
            wsq_bits_per_pixel: 0.75,
        }
    }
}

/// The lowest PSNR (dB) a WSQ image may have against the scanner's pixels. WSQ at 0.75 bpp
/// gives well above 30 dB on fingerprints (`tests/wsq_encode.rs`); below this floor the
/// encoder went wrong and the image is refused.
pub const WSQ_MIN_PSNR_DB: f64 = 25.0;

/// A finger image ready for DG3.
#[derive(Clone, Debug, PartialEq)]
pub struct EncodedFinger {
    /// The image file.
    pub bytes: Vec<u8>,
    /// Its algorithm.
    pub compression: Compression,
    /// Width and height in pixels.
    pub size: (u16, u16),
    /// What the report must show (transcoded from a lossy source, an unusual resolution, a
    /// colour image made grey, the image's own resolution disagreeing with the capture's).
    pub warnings: Vec<String>,
}

/// Decodes the scanner's file `bytes` (raw needs `raw_size`), writes it as `encoding` asks
/// at `ppi`, and checks that what is written decodes to the scanner's image.
pub fn encode_finger(
    bytes: &[u8],
    raw_size: Option<(u32, u32)>,
    ppi: u16,
    encoding: &FingerEncoding,
) -> Result<EncodedFinger> {
    let source = Compression::sniff(bytes);
    let mut warnings = Vec::new();
    let decoded = match (source, raw_size) {
        (Some(_), _) => pixels::decode_image(bytes)?,
        (None, Some((w, h))) => {
            let want = u64::from(w) * u64::from(h);
            if bytes.len() as u64 != want {
                return Err(Error::Usage(format!(
                    "a raw 8-bit grey image of {w}x{h} pixels is {want} bytes, this file {}",
                    bytes.len()
                )));
            }
            pixels::decode_raw(bytes, w, h)?
        }
        (None, None) => {
            return Err(Error::Usage(
                "the image is not WSQ, PNG, JPEG or JPEG 2000 (by its first bytes); a raw \
                 8-bit grey image needs \"raw\": {\"width\": W, \"height\": H}"
                    .into(),
            ));
        }
    };
    if let Some(r) = decoded.resolution {
        let (h, v) = r.ppi();
        let want = f64::from(ppi);
        if (h - want).abs() > want * 0.01 || (v - want).abs() > want * 0.01 {
            warnings.push(format!(
                "the image file states {h:.0}x{v:.0} ppi, the capture {ppi} ppi (the record \
                 gives {ppi})"
            ));
        }
    }
    if decoded.channels != 1 {
        warnings.push("a colour image, written as grey".into());
    }
    let gray = decoded.to_gray();
    let size = (
        u16::try_from(gray.width).map_err(|_| too_big(gray.width))?,
        u16::try_from(gray.height).map_err(|_| too_big(gray.height))?,
    );
    let target = encoding.compression.compression();
    let keep = source == Some(target) && decoded.channels == 1;
    let out = if keep {
        bytes.to_vec()
    } else {
        match source {
            Some(c @ (Compression::Wsq | Compression::Jpeg)) => warnings.push(format!(
                "transcoded from {} to {}: the scanner's image was already lossy, this is a \
                 second generation of loss",
                c.name(),
                target.name()
            )),
            Some(c @ Compression::Jpeg2000) => {
                warnings.push(format!("transcoded from {} to {}", c.name(), target.name()))
            }
            _ => {}
        }
        write(&gray, ppi, encoding)?
    };
    if encoding.compression == FingerCompression::Wsq && ppi != 500 {
        warnings.push(format!(
            "WSQ is specified for 500 ppi fingerprints (IAFIS-IC-0110); this one is {ppi} ppi"
        ));
    }
    check_written(&out, &gray, encoding.compression, keep)?;
    // What dactyl encodes as JPEG 2000 is lossless (and checked to be): the record says so
    // where its edition can (39794-4, 19794-4:2011); a scanner's file kept as given is of
    // unstated kind.
    let compression = match target {
        Compression::Jpeg2000 if !keep => Compression::Jpeg2000Lossless,
        other => other,
    };
    Ok(EncodedFinger {
        bytes: out,
        compression,
        size,
        warnings,
    })
}

fn too_big(n: u32) -> Error {
    Error::Usage(format!(
        "a finger image {n} pixels across: beyond the record's 65535"
    ))
}

fn write(gray: &GrayImage, ppi: u16, encoding: &FingerEncoding) -> Result<Vec<u8>> {
    match encoding.compression {
        FingerCompression::Wsq => wsq::encode(
            gray,
            &wsq::EncodeOptions {
                bits_per_pixel: encoding.wsq_bits_per_pixel,
                ppi: Some(ppi),
                comment: None,
            },
        ),
        FingerCompression::Png => pixels::encode_png(&grey_pixels(gray, ppi)),
        FingerCompression::Jpeg2000 => {
            pixels::encode_lossless(&grey_pixels(gray, ppi), pixels::Container::Jp2)
        }
    }
}

fn grey_pixels(gray: &GrayImage, ppi: u16) -> Pixels {
    Pixels {
        width: gray.width,
        height: gray.height,
        channels: 1,
        data: gray.pixels.clone(),
        resolution: Some(Resolution {
            horizontal: ppi.into(),
            vertical: ppi.into(),
            unit: ResolutionUnit::PerInch,
        }),
    }
}

/// Decodes what is about to be written: same size, same pixels when lossless and written by
/// dactyl, WSQ above [`WSQ_MIN_PSNR_DB`] when dactyl encoded it.
fn check_written(
    out: &[u8],
    source: &GrayImage,
    target: FingerCompression,
    kept: bool,
) -> Result<()> {
    let back = pixels::decode_image(out)
        .map_err(|e| {
            Error::Usage(format!(
                "the finger image to be written does not decode: {e}"
            ))
        })?
        .to_gray();
    if (back.width, back.height) != (source.width, source.height) {
        return Err(Error::Usage(format!(
            "the finger image to be written decodes to {}x{} pixels, not {}x{}",
            back.width, back.height, source.width, source.height
        )));
    }
    if kept {
        return Ok(());
    }
    match target {
        FingerCompression::Png | FingerCompression::Jpeg2000 if back.pixels != source.pixels => {
            Err(Error::Usage(
                "the lossless finger image to be written does not give back the scanner's \
                 pixels"
                    .into(),
            ))
        }
        FingerCompression::Wsq => {
            let db = pixels::psnr(&source.pixels, &back.pixels);
            if db < WSQ_MIN_PSNR_DB {
                return Err(Error::Usage(format!(
                    "the WSQ finger image to be written has a PSNR of {db:.1} dB against the \
                     scanner's, below the {WSQ_MIN_PSNR_DB} dB floor"
                )));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

//! Describes an LDS file or a biometric record from its first bytes, for `dactyl inspect`: the
//! data group tags of ICAO Doc 9303-10 clause 4.6 and Table 36 (DG1 `61`, DG2 `75`, DG3 `63`,
//! DG4 `76`, DG14 `6E`, DG15 `6F`, EF.SOD `77`, EF.COM `60`), EF.CardAccess (a SecurityInfos
//! `31` SET, 9303-11 clause 9.2), EF.CardSecurity and X.509 certificates (`30`), a bare
//! biometric information group `7F61` (ISO/IEC 7816-11), and the ISO/IEC 19794-2 and 19794-4
//! records by their format identifiers "FMR\0" and "FIR\0".
//!
//! [`describe`] returns the facts as JSON plus a title and warnings; [`Description::to_text`]
//! renders them for a terminal; [`finger_images`] lists the finger images to write to files.

use crate::biometrics::compact::{AlgorithmParameters, BAPT_TAG};
use crate::biometrics::finger_image::FingerImage;
use crate::biometrics::image_check;
use crate::biometrics::minutiae::MinutiaeRecord;
use crate::error::{Error, Result};
use crate::lds::biometric_group::{BiometricData, BiometricGroup, BiometricRecord};
use crate::lds::com::Com;
use crate::lds::dg1::Dg1;
use crate::lds::dg3::Dg3;
use crate::lds::dg15::Dg15;
use crate::lds::security_infos::{self, SecurityInfos};
use crate::lds::sod::Sod;
use crate::pki::cert::Certificate;
use crate::pki::cms::SignedData;
use serde_json::{Value, json};

mod images;
use images::{face_39794_images, image_json};
use std::fmt::Write;

/// What a file is and what it holds.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Description {
    /// What the file is ("DG3 (finger images)", "EF.SOD", ...).
    pub kind: String,
    /// Its size in bytes.
    pub size: usize,
    /// The facts, as a JSON object.
    pub details: Value,
    /// What the parsers noticed but accepted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// A finger image to write to a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtractedImage {
    /// A file name stem: "finger1_right_index".
    pub stem: String,
    /// The extension for its compression: "wsq", "jpg", "jp2", "png" or "raw".
    pub extension: &'static str,
    /// The image data.
    pub data: Vec<u8>,
    /// The record's compression, width and height (what a raw image is read with).
    pub compression: crate::biometrics::Compression,
    /// Width in pixels, from the record.
    pub width: u32,
    /// Height in pixels, from the record.
    pub height: u32,
}

impl ExtractedImage {
    /// The image as pixels (any format, raw ones with the record's size).
    pub fn pixels(&self) -> Result<crate::biometrics::pixels::Pixels> {
        crate::biometrics::pixels::decode_view(
            &self.data,
            self.compression,
            self.width,
            self.height,
        )
    }

    /// "stem.extension".
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.stem, self.extension)
    }
}

/// Describes `bytes` by their leading tag or format identifier.
pub fn describe(bytes: &[u8]) -> Result<Description> {
    let d = |kind: &str, details: Value, warnings: Vec<String>| Description {
        kind: kind.to_string(),
        size: bytes.len(),
        details,
        warnings,
    };
    if bytes.starts_with(b"FMR\0") {
        let rec = MinutiaeRecord::parse(bytes)?;
        let w = rec.warnings.clone();
        return Ok(d(
            "finger minutiae record (ISO/IEC 19794-2)",
            minutiae_json(&rec),
            w,
        ));
    }
    if bytes.starts_with(b"FIR\0") {
        let img = FingerImage::parse(bytes)?;
        let mut w = img.warnings().to_vec();
        let v = image_json(&img, "", &mut w);
        return Ok(d("finger image record (ISO/IEC 19794-4)", v, w));
    }
    if bytes.first() == Some(&0x64) {
        let img = FingerImage::parse(bytes)?;
        let mut w = img.warnings().to_vec();
        let v = image_json(&img, "", &mut w);
        return Ok(d("finger image data block (ISO/IEC 39794-4)", v, w));
    }
    if looks_like_pem(bytes) {
        return certificates(bytes).map(|(v, n)| d(&cert_kind(n), v, vec![]));
    }
    match bytes {
        [0x61, ..] => {
            let dg1 = Dg1::parse(bytes)?;
            Ok(d("DG1 (machine readable zone)", to_value(&dg1.mrz), vec![]))
        }
        [0x75, ..] => {
            let g = BiometricGroup::parse(bytes)?;
            let mut w = g.warnings.clone();
            let mut v = group_json(&g);
            match crate::lds::dg2::Dg2::parse(bytes) {
                Ok(dg2) => {
                    let faces: Vec<_> = dg2.faces.iter().flat_map(|f| &f.images).collect();
                    for (i, face) in faces.iter().enumerate() {
                        w.extend(
                            face.warnings()
                                .into_iter()
                                .map(|m| format!("DG2 face {i}: {m}")),
                        );
                    }
                    let mut listed = Vec::with_capacity(faces.len());
                    for (i, face) in faces.iter().enumerate() {
                        // The 19794-5 record gives no resolution; its size and data type are
                        // already compared by the face's own warnings above.
                        let facts = image_check::check(&face.image, &Default::default());
                        w.extend(facts.warnings.iter().map(|m| format!("DG2 face {i}: {m}")));
                        let mut one = to_value(face);
                        one["image_file"] = to_value(&facts);
                        listed.push(one);
                    }
                    v["faces"] = Value::Array(listed);
                    for (i, b) in &dg2.blocks {
                        w.extend(
                            b.warnings()
                                .into_iter()
                                .map(|m| format!("DG2 face {i}: {m}")),
                        );
                    }
                    if !dg2.blocks.is_empty() {
                        let blocks: Vec<Value> = dg2
                            .blocks
                            .iter()
                            .map(|(i, b)| {
                                let files = face_39794_images(b, *i, &mut w);
                                json!({ "template": i, "block": to_value(b), "image_files": files })
                            })
                            .collect();
                        v["faces_39794"] = Value::Array(blocks);
                    }
                }
                Err(e) => w.push(format!("facial records not readable: {e}")),
            }
            Ok(d("DG2 (encoded face)", v, w))
        }
        [0x63, ..] => match Dg3::parse(bytes) {
            Ok(dg3) => {
                let mut w = dg3.warnings().to_vec();
                let v = dg3_json(&dg3, &mut w);
                Ok(d("DG3 (encoded fingers)", v, w))
            }
            Err(e) => {
                let g = BiometricGroup::parse(bytes)?;
                let mut w = g.warnings.clone();
                w.push(format!("finger image records not readable: {e}"));
                Ok(d("DG3 (encoded fingers)", group_json(&g), w))
            }
        },
        [0x76, ..] => {
            let g = BiometricGroup::parse(bytes)?;
            let w = g.warnings.clone();
            Ok(d("DG4 (encoded irises)", group_json(&g), w))
        }
        [0x7F, 0x61, ..] => {
            let g = BiometricGroup::parse(bytes)?;
            let w = g.warnings.clone();
            Ok(d(
                "biometric information group (ISO/IEC 7816-11)",
                group_json(&g),
                w,
            ))
        }
        [0x6E, ..] => {
            let infos = security_infos::dg14(bytes)?;
            Ok(d(
                "DG14 (security options)",
                infos_json(&infos),
                infos.warnings,
            ))
        }
        [0x6F, ..] => {
            let dg15 = Dg15::parse(bytes)?;
            let v = json!({ "key": dg15.key.describe(), "spki_bytes": dg15.spki.len() });
            Ok(d("DG15 (Active Authentication public key)", v, vec![]))
        }
        [0x77, ..] => Ok(d(
            "EF.SOD (document security object)",
            sod_json(bytes)?,
            vec![],
        )),
        [0x60, ..] => {
            let com = Com::parse(bytes)?;
            let mut v = to_value(&com);
            if let Value::Object(m) = &mut v {
                m.insert("lds_version".into(), com.lds_version_display().into());
                m.insert(
                    "unicode_version".into(),
                    com.unicode_version_display().into(),
                );
                m.insert("tags".into(), hex::encode_upper(&com.tags).into());
                m.insert("data_groups".into(), json!(com.data_groups()));
            }
            Ok(d("EF.COM", v, vec![]))
        }
        [0x31, ..] => {
            let infos = SecurityInfos::parse(bytes)?;
            Ok(d(
                "EF.CardAccess (SecurityInfos)",
                infos_json(&infos),
                infos.warnings,
            ))
        }
        [0x30, ..] => match certificates(bytes) {
            Ok((v, n)) => Ok(d(&cert_kind(n), v, vec![])),
            Err(cert_err) => match security_infos::card_security(bytes) {
                Ok((infos, signed)) => {
                    let mut v = infos_json(&infos);
                    if let Value::Object(m) = &mut v {
                        m.insert("signed_data".into(), signed_json(&signed));
                    }
                    Ok(d("EF.CardSecurity", v, infos.warnings))
                }
                Err(_) => Err(cert_err),
            },
        },
        _ => Err(Error::Lds(format!(
            "not a file dactyl knows: starts with {}",
            hex::encode_upper(bytes.get(..8).unwrap_or(bytes))
        ))),
    }
}

/// The finger images in a DG3 or a bare ISO/IEC 19794-4 record, in order, named
/// "finger{n}_{position}" (with "_view{v}" when a record has several views).
pub fn finger_images(bytes: &[u8]) -> Result<Vec<ExtractedImage>> {
    let images = if bytes.first() == Some(&0x63) {
        Dg3::parse(bytes)?.images
    } else if bytes.starts_with(b"FIR\0") || bytes.first() == Some(&0x64) {
        vec![FingerImage::parse(bytes)?]
    } else {
        return Err(Error::Usage(
            "only DG3, ISO/IEC 19794-4 records and 39794-4 blocks hold finger images".into(),
        ));
    };
    let mut out = Vec::new();
    for (i, image) in images.iter().enumerate() {
        let views = image.views();
        let several = views.len() > 1;
        for (j, v) in views.iter().enumerate() {
            let mut stem = format!("finger{}_{}", i + 1, v.position.slug());
            if several {
                stem.push_str(&format!("_view{}", j + 1));
            }
            out.push(ExtractedImage {
                stem,
                extension: v.image_extension(),
                data: v.image.to_vec(),
                compression: v.compression,
                width: v.width.into(),
                height: v.height.into(),
            });
        }
    }
    Ok(out)
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_else(|e| json!({ "error": e.to_string() }))
}

fn looks_like_pem(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    bytes
        .get(start..)
        .is_some_and(|b| b.starts_with(b"-----BEGIN"))
}

fn cert_kind(n: usize) -> String {
    if n == 1 {
        "X.509 certificate".into()
    } else {
        format!("{n} X.509 certificates")
    }
}

fn cert_json(c: &Certificate) -> Value {
    json!({
        "subject": c.subject.to_string(),
        "issuer": c.issuer.to_string(),
        "serial": hex::encode_upper(&c.serial),
        "not_before": c.not_before.to_string(),
        "not_after": c.not_after.to_string(),
        "is_ca": c.is_ca(),
        "public_key": crate::crypto::keys::PublicKey::from_spki(&c.spki)
            .map_or_else(|e| format!("unreadable: {e}"), |k| k.describe()),
        "sha256": hex::encode_upper(c.fingerprint()),
    })
}

fn certificates(bytes: &[u8]) -> Result<(Value, usize)> {
    let certs = Certificate::from_pem_or_der(bytes)?;
    let v = match certs.as_slice() {
        [one] => cert_json(one),
        many => json!({ "certificates": many.iter().map(cert_json).collect::<Vec<_>>() }),
    };
    Ok((v, certs.len()))
}

fn signed_json(s: &SignedData) -> Value {
    json!({
        "content_type": s.content_type.to_string(),
        "certificates": s.certificates.iter().map(cert_json).collect::<Vec<_>>(),
        "signers": s.signer_infos.len(),
    })
}

fn sod_json(bytes: &[u8]) -> Result<Value> {
    let sod = Sod::parse(bytes)?;
    let hashes: serde_json::Map<String, Value> = sod
        .lds
        .hashes
        .iter()
        .map(|(dg, h)| (format!("DG{dg}"), hex::encode_upper(h).into()))
        .collect();
    Ok(json!({
        "version": sod.lds.version,
        "hash_algorithm": sod.lds.hash.name(),
        "data_group_hashes": hashes,
        "lds_version": sod.lds.lds_version,
        "unicode_version": sod.lds.unicode_version,
        "signed_data": signed_json(&sod.signed),
    }))
}

fn infos_json(infos: &SecurityInfos) -> Value {
    json!({ "security_infos": to_value(&infos.infos) })
}

fn header_json(r: &BiometricRecord) -> Value {
    let h = &r.header;
    let mut v = to_value(h);
    if let Value::Object(m) = &mut v {
        let mut named = |k: &str, s: Option<String>| {
            if let Some(s) = s {
                m.insert(k.into(), s.into());
            }
        };
        named("biometric_type_name", h.biometric_type_name());
        named("subtype_name", h.subtype_name());
        named("format_name", h.format_name().map(str::to_string));
        for e in h.other.iter().filter(|e| e.tag == BAPT_TAG) {
            m.insert(
                "algorithm_parameters".into(),
                AlgorithmParameters::parse(&e.value)
                    .map_or_else(|e| e.to_string().into(), |p| to_value(&p)),
            );
        }
    }
    v
}

fn group_json(g: &BiometricGroup) -> Value {
    let records: Vec<Value> = g
        .records
        .iter()
        .map(|r| {
            let mut data = to_value(&r.data);
            if let BiometricData::Plain(b) = &r.data
                && let Some(magic) = b.get(..8)
            {
                data = json!({
                    "block": data,
                    "format": String::from_utf8_lossy(magic).replace('\0', " ").trim_end().to_string(),
                });
            }
            json!({ "header": header_json(r), "data": data })
        })
        .collect();
    json!({ "declared_count": g.declared_count, "records": records })
}

fn dg3_json(dg3: &Dg3, warnings: &mut Vec<String>) -> Value {
    let fingers: Vec<Value> = dg3
        .group
        .records
        .iter()
        .zip(&dg3.images)
        .enumerate()
        .map(|(i, (r, img))| {
            let prefix = format!("DG3 record {}: ", i + 1);
            json!({ "header": header_json(r), "image": image_json(img, &prefix, warnings) })
        })
        .collect();
    json!({ "declared_count": dg3.group.declared_count, "fingers": fingers })
}

fn minutiae_json(rec: &MinutiaeRecord) -> Value {
    let views: Vec<Value> = rec
        .views
        .iter()
        .map(|v| {
            let (rx, ry) = rec.resolution_of(v);
            let (w, h) = rec.size_of(v);
            let minutiae: Vec<String> = v
                .minutiae
                .iter()
                .map(|m| {
                    format!(
                        "{:?} ({}, {}) {:.1} deg q{}",
                        m.kind,
                        m.x,
                        m.y,
                        m.degrees(),
                        m.quality
                    )
                })
                .collect();
            json!({
                "position": to_value(&v.position),
                "view_number": v.view_number,
                "impression": v.impression.name(),
                "quality": v.quality,
                "image_size": format!("{w}x{h}"),
                "resolution_ppcm": format!("{rx}x{ry}"),
                "minutiae_count": v.minutiae.len(),
                "minutiae": minutiae,
                "extended_data_bytes": v.extended.len(),
            })
        })
        .collect();
    json!({ "edition": to_value(&rec.edition), "views": views })
}

impl Description {
    /// The description as indented text: a title line, then the details and warnings.
    pub fn to_text(&self) -> String {
        let mut s = format!("{}, {} bytes\n", self.kind, self.size);
        render(&self.details, 1, &mut s);
        for w in &self.warnings {
            let _ = writeln!(s, "  warning: {w}");
        }
        s
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("-".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Object(m) if m.len() == 2 && m.contains_key("code") && m.contains_key("name") => {
            Some(format!(
                "{} ({})",
                scalar(m.get("name")?)?,
                scalar(m.get("code")?)?
            ))
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) && a.len() <= 16 => {
            Some(a.iter().filter_map(scalar).collect::<Vec<_>>().join(", "))
        }
        _ => None,
    }
}

fn render(v: &Value, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let key = k.replace('_', " ");
                match scalar(x) {
                    Some(s) => {
                        let _ = writeln!(out, "{pad}{key}: {s}");
                    }
                    None => {
                        let _ = writeln!(out, "{pad}{key}:");
                        render(x, depth + 1, out);
                    }
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                match scalar(x) {
                    Some(s) => {
                        let _ = writeln!(out, "{pad}- {s}");
                    }
                    None => {
                        let _ = writeln!(out, "{pad}[{}]", i + 1);
                        render(x, depth + 1, out);
                    }
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", scalar(other).unwrap_or_default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_empty_input_are_errors() {
        assert!(describe(&[]).is_err());
        assert!(describe(&[0x42, 0x00]).is_err());
        assert!(describe(b"FMR\0 20\0").is_err());
        assert!(describe(&[0x63, 0x03, 0x02, 0x01, 0x01]).is_err());
        assert!(finger_images(&[0x61, 0x00]).is_err());
    }

    #[test]
    fn renders_nested_values_as_text() {
        let d = Description {
            kind: "test".into(),
            size: 3,
            details: json!({ "a_b": 1, "pos": { "code": 2, "name": "right index finger" },
                             "list": [{ "x": true }], "short": [1, 2] }),
            warnings: vec!["odd".into()],
        };
        let t = d.to_text();
        assert!(t.starts_with("test, 3 bytes\n"), "{t}");
        assert!(t.contains("  a b: 1\n"), "{t}");
        assert!(t.contains("  pos: right index finger (2)\n"), "{t}");
        assert!(t.contains("    [1]\n      x: true\n"), "{t}");
        assert!(t.contains("  short: 1, 2\n"), "{t}");
        assert!(t.contains("  warning: odd\n"), "{t}");
    }
}

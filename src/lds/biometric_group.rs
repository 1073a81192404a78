//! The biometric information template group shared by DG2, DG3 and DG4 (ICAO Doc 9303-10
//! clauses 4.7.2 to 4.7.4; CBEFF of ISO/IEC 19785-3 in the BER-TLV patron format of
//! ISO/IEC 7816-11): an outer tag (`75` DG2, `63` DG3, `76` DG4) around `7F61`, which holds the
//! number of instances (`02`) and one `7F60` biometric information template per instance; each
//! has a biometric header template `A1` (`80` patron header version, `81` biometric type, `82`
//! subtype, `83` creation date, `85` validity period, `86` creator, `87` format owner, `88`
//! format type) and a biometric data block: `5F2E` in clear (ISO/IEC 19794 records), `7F2E`
//! constructed around `A1 { [APPLICATION n] block }` for the ISO/IEC 39794 extensible formats
//! (Doc 9303-10 clause 4.7.2.1, format types 0028 finger image and 002A face), or `7F2E`
//! enciphered (anything else under that tag).
//!
//! Decoding keeps what the named fields cannot: the order of elements, elements dactyl does not
//! know (kept as [`RawElement`]s), and length fields written with more bytes than needed, so a
//! group re-encodes byte for byte. A non-minimal length is reused only while it still states the
//! value's length; groups built from scratch use minimal lengths. A count that disagrees with the
//! records is a warning, and the encoder writes the true count.

use crate::biometrics::{ser_hex, ser_opt_hex};
use crate::error::{Error, Result};
use crate::tlv::{Children, Tlv, encode_len, parse_header, tag_bytes};

/// Tag of DG2 (face).
pub const DG2_TAG: u32 = 0x75;
/// Tag of DG3 (finger).
pub const DG3_TAG: u32 = 0x63;
/// Tag of DG4 (iris).
pub const DG4_TAG: u32 = 0x76;
/// Biometric information group template.
pub const GROUP_TAG: u32 = 0x7F61;
/// Number of instances.
pub const COUNT_TAG: u32 = 0x02;
/// Biometric information template.
pub const BIT_TAG: u32 = 0x7F60;
/// Biometric header template.
pub const HEADER_TAG: u32 = 0xA1;
/// Biometric data block.
pub const DATA_TAG: u32 = 0x5F2E;
/// Enciphered biometric data block.
pub const ENCIPHERED_DATA_TAG: u32 = 0x7F2E;
/// CBEFF biometric type of fingerprints.
pub const BIOMETRIC_TYPE_FINGER: u32 = 0x08;
/// CBEFF biometric type of facial features.
pub const BIOMETRIC_TYPE_FACE: u32 = 0x02;
/// Format owner ISO/IEC JTC 1/SC 37.
pub const FORMAT_OWNER_SC37: u16 = 0x0101;
/// SC 37 format type of ISO/IEC 19794-4 finger images.
pub const FORMAT_TYPE_FINGER_IMAGE: u16 = 0x0007;
/// SC 37 format type of ISO/IEC 19794-5 face images.
pub const FORMAT_TYPE_FACE_IMAGE: u16 = 0x0008;
/// SC 37 format type of ISO/IEC 39794-4 finger image data blocks.
pub const FORMAT_TYPE_FINGER_IMAGE_39794: u16 = 0x0028;
/// SC 37 format type of ISO/IEC 39794-5 face image data blocks.
pub const FORMAT_TYPE_FACE_IMAGE_39794: u16 = 0x002A;
/// The context tag inside a constructed `7F2E` that wraps a 39794 data block.
pub const EXTENSIBLE_WRAPPER_TAG: u32 = 0xA1;

/// A data object kept as found, because dactyl does not interpret it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RawElement {
    /// Its tag.
    pub tag: u32,
    /// Its value.
    #[serde(serialize_with = "ser_hex")]
    pub value: Vec<u8>,
}

/// The children of one template as read: tags in order, and the length octets of those whose
/// length was not minimal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Layout {
    children: Vec<(u32, Option<Vec<u8>>)>,
}

impl Layout {
    fn note(&mut self, obj: &Tlv<'_>) {
        let tag_len = tag_bytes(obj.tag).len();
        let len_octets = obj.header().get(tag_len..).unwrap_or(&[]);
        let form =
            (len_octets != encode_len(obj.value.len()).as_slice()).then(|| len_octets.to_vec());
        self.children.push((obj.tag, form));
    }
}

/// One object, with `form` as its length octets if they still state the value's length.
fn object(tag: u32, value: &[u8], form: Option<&[u8]>) -> Vec<u8> {
    let mut out = tag_bytes(tag);
    let mut probe = tag_bytes(tag);
    match form {
        Some(f) => {
            probe.extend_from_slice(f);
            let same = parse_header(&probe).is_ok_and(|h| h.value_len() == Some(value.len()));
            out.extend(if same {
                f.to_vec()
            } else {
                encode_len(value.len())
            });
        }
        None => out.extend(encode_len(value.len())),
    }
    out.extend_from_slice(value);
    out
}

/// Encodes `items` in the order `layout` recorded, then any items it did not list.
fn arrange(items: &[(u32, Vec<u8>)], layout: &Layout) -> Vec<u8> {
    let mut used = vec![false; items.len()];
    let mut out = Vec::new();
    for (tag, form) in &layout.children {
        let next = items
            .iter()
            .zip(used.iter_mut())
            .find(|((t, _), u)| t == tag && !**u);
        if let Some(((t, v), u)) = next {
            *u = true;
            out.extend(object(*t, v, form.as_deref()));
        }
    }
    for ((t, v), u) in items.iter().zip(&used) {
        if !u {
            out.extend(object(*t, v, None));
        }
    }
    out
}

/// Reads the children of a template, noting the layout.
fn children<'a>(value: &'a [u8], layout: &mut Layout) -> Result<Vec<Tlv<'a>>> {
    let mut out = Vec::new();
    for c in Children::of(value) {
        let c = c?;
        layout.note(&c);
        out.push(c);
    }
    Ok(out)
}

fn uint(bytes: &[u8]) -> Option<u32> {
    (!bytes.is_empty() && bytes.len() <= 4)
        .then(|| bytes.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b)))
}

fn minimal_uint(v: u32) -> Vec<u8> {
    crate::uint::to_minimal_be(v.into())
}

/// The biometric header template (`A1`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct BiometricHeader {
    /// `80`: patron header version (2 bytes, `0101`).
    #[serde(
        serialize_with = "ser_opt_hex",
        skip_serializing_if = "Option::is_none"
    )]
    pub patron_header_version: Option<Vec<u8>>,
    /// `81`: biometric type (CBEFF: 0x02 face, 0x08 finger, 0x10 iris).
    pub biometric_type: Option<u32>,
    /// `82`: biometric subtype (finger: 0x01 right, 0x02 left, finger in bits 0x1C).
    pub subtype: Option<u8>,
    /// `83`: creation date and time (7 bytes BCD, YYYYMMDDhhmmss).
    #[serde(
        serialize_with = "ser_opt_hex",
        skip_serializing_if = "Option::is_none"
    )]
    pub creation_date: Option<Vec<u8>>,
    /// `85`: validity period (8 bytes BCD, YYYYMMDD from and to).
    #[serde(
        serialize_with = "ser_opt_hex",
        skip_serializing_if = "Option::is_none"
    )]
    pub validity_period: Option<Vec<u8>>,
    /// `86`: creator of the biometric reference data.
    #[serde(
        serialize_with = "ser_opt_hex",
        skip_serializing_if = "Option::is_none"
    )]
    pub creator: Option<Vec<u8>>,
    /// `87`: format owner (0x0101 ISO/IEC JTC 1/SC 37).
    pub format_owner: Option<u16>,
    /// `88`: format type (SC 37: 0x0007 finger image, 0x0008 face image).
    pub format_type: Option<u16>,
    /// Elements without a named field (other tags, repeats, unexpected widths), in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<RawElement>,
    #[serde(skip)]
    layout: Layout,
}

impl BiometricHeader {
    /// A header with biometric type, subtype, format owner and format type (the elements the
    /// ICAO/BSI reference DG2 and DG3 carry).
    pub fn new(biometric_type: u32, subtype: u8, format_owner: u16, format_type: u16) -> Self {
        BiometricHeader {
            biometric_type: Some(biometric_type),
            subtype: Some(subtype),
            format_owner: Some(format_owner),
            format_type: Some(format_type),
            ..BiometricHeader::default()
        }
    }

    fn parse(value: &[u8], warnings: &mut Vec<String>) -> Result<BiometricHeader> {
        let mut h = BiometricHeader::default();
        for c in children(value, &mut h.layout)? {
            let v = c.value;
            let placed = match c.tag {
                0x80 => set(&mut h.patron_header_version, Some(v.to_vec())),
                0x81 => set(
                    &mut h.biometric_type,
                    uint(v).filter(|&t| minimal_uint(t) == v),
                ),
                0x82 => set(&mut h.subtype, <[u8; 1]>::try_from(v).ok().map(|[b]| b)),
                0x83 => set(&mut h.creation_date, Some(v.to_vec())),
                0x85 => set(&mut h.validity_period, Some(v.to_vec())),
                0x86 => set(&mut h.creator, Some(v.to_vec())),
                0x87 => set(&mut h.format_owner, two(v)),
                0x88 => set(&mut h.format_type, two(v)),
                _ => false,
            };
            if !placed {
                if (0x80..=0x88).contains(&c.tag) {
                    warnings.push(format!(
                        "biometric header element {:X} ({}) repeated or of unexpected length, kept as is",
                        c.tag,
                        hex::encode_upper(v)
                    ));
                }
                h.other.push(RawElement {
                    tag: c.tag,
                    value: v.to_vec(),
                });
            }
        }
        Ok(h)
    }

    /// The value of the `A1` template.
    pub fn encode_value(&self) -> Vec<u8> {
        let mut items: Vec<(u32, Vec<u8>)> = Vec::new();
        let mut put = |tag: u32, v: Option<Vec<u8>>| {
            if let Some(v) = v {
                items.push((tag, v));
            }
        };
        put(0x80, self.patron_header_version.clone());
        put(0x81, self.biometric_type.map(minimal_uint));
        put(0x82, self.subtype.map(|s| vec![s]));
        put(0x83, self.creation_date.clone());
        put(0x85, self.validity_period.clone());
        put(0x86, self.creator.clone());
        put(0x87, self.format_owner.map(|v| v.to_be_bytes().to_vec()));
        put(0x88, self.format_type.map(|v| v.to_be_bytes().to_vec()));
        items.extend(self.other.iter().map(|e| (e.tag, e.value.clone())));
        arrange(&items, &self.layout)
    }

    /// The biometric type's name ("finger", "facial features", ...).
    pub fn biometric_type_name(&self) -> Option<String> {
        const NAMES: [(u32, &str); 10] = [
            (0x00, "no information"),
            (0x01, "multiple"),
            (0x02, "facial features"),
            (0x04, "voice"),
            (0x08, "finger"),
            (0x10, "iris"),
            (0x20, "retina"),
            (0x40, "hand geometry"),
            (0x80, "signature dynamics"),
            (0x100, "keystroke dynamics"),
        ];
        let t = self.biometric_type?;
        let known = NAMES.iter().find(|(code, _)| *code == t);
        Some(known.map_or_else(|| format!("type {t:#X}"), |(_, n)| n.to_string()))
    }

    /// The subtype as words ("right index finger", "no information").
    pub fn subtype_name(&self) -> Option<String> {
        const FINGERS: [&str; 8] = [
            "",
            "thumb",
            "index finger",
            "middle finger",
            "ring finger",
            "little finger",
            "finger (code 6)",
            "finger (code 7)",
        ];
        let s = self.subtype?;
        let side = ["", "right ", "left ", "right and left "]
            .get(usize::from(s & 0x03))
            .copied()
            .unwrap_or("");
        let finger = FINGERS
            .get(usize::from((s >> 2) & 0x07))
            .copied()
            .unwrap_or("");
        Some(match s {
            0 => "no information".into(),
            _ => format!("{side}{finger}").trim().to_string(),
        })
    }

    /// The format's name, for the SC 37 format owner.
    pub fn format_name(&self) -> Option<&'static str> {
        if self.format_owner != Some(FORMAT_OWNER_SC37) {
            return None;
        }
        Some(match self.format_type? {
            0x0001..=0x0004 => "finger minutiae (ISO/IEC 19794-2)",
            0x0007 => "finger image (ISO/IEC 19794-4)",
            0x0008 => "face image (ISO/IEC 19794-5)",
            0x0009 => "iris image (ISO/IEC 19794-6)",
            FORMAT_TYPE_FINGER_IMAGE_39794 => "finger image (ISO/IEC 39794-4)",
            FORMAT_TYPE_FACE_IMAGE_39794 => "face image (ISO/IEC 39794-5)",
            _ => return None,
        })
    }
}

fn set<T>(slot: &mut Option<T>, v: Option<T>) -> bool {
    match (slot.is_none(), v) {
        (true, Some(v)) => {
            *slot = Some(v);
            true
        }
        _ => false,
    }
}

fn two(v: &[u8]) -> Option<u16> {
    <[u8; 2]>::try_from(v).ok().map(u16::from_be_bytes)
}

/// A biometric data block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BiometricData {
    /// `5F2E`: the data in clear.
    Plain(Vec<u8>),
    /// `7F2E` holding one `A1` around an ISO/IEC 39794 data block: the `7F2E` value as read
    /// (so it re-encodes byte for byte); [`BiometricData::block`] gives the block.
    Extensible(Vec<u8>),
    /// `7F2E`: enciphered data.
    Enciphered(Vec<u8>),
    /// No data block (a BIT that only announces a reference).
    Absent,
}

impl BiometricData {
    /// The bytes of a clear data block.
    pub fn plain(&self) -> Option<&[u8]> {
        match self {
            BiometricData::Plain(b) => Some(b),
            _ => None,
        }
    }

    /// A `7F2E` around `A1 { block }` (`block`: the whole `[APPLICATION n]` TLV).
    pub fn extensible(block: &[u8]) -> BiometricData {
        BiometricData::Extensible(crate::tlv::encode(EXTENSIBLE_WRAPPER_TAG, block))
    }

    /// The ISO/IEC 39794 data block (its whole TLV) of an extensible data block.
    pub fn block(&self) -> Option<&[u8]> {
        match self {
            BiometricData::Extensible(v) => Tlv::parse_exact(v)
                .ok()
                .filter(|a1| a1.tag == EXTENSIBLE_WRAPPER_TAG)
                .map(|a1| a1.value),
            _ => None,
        }
    }

    /// What a `7F2E` value is: one `A1` holding one constructed application-class object is a
    /// 39794 block, anything else enciphered data.
    fn from_7f2e(value: &[u8]) -> BiometricData {
        let is_block = Tlv::parse_exact(value).is_ok_and(|a1| {
            a1.tag == EXTENSIBLE_WRAPPER_TAG
                && Tlv::parse_exact(a1.value).is_ok_and(|b| {
                    let first = tag_bytes(b.tag).first().copied().unwrap_or(0);
                    first & 0xE0 == 0x60
                })
        });
        if is_block {
            BiometricData::Extensible(value.to_vec())
        } else {
            BiometricData::Enciphered(value.to_vec())
        }
    }
}

impl serde::Serialize for BiometricData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&match self {
            BiometricData::Plain(b) => format!("5F2E: {} bytes", b.len()),
            BiometricData::Extensible(b) => {
                format!("7F2E (ISO/IEC 39794 block): {} bytes", b.len())
            }
            BiometricData::Enciphered(b) => format!("7F2E (enciphered): {} bytes", b.len()),
            BiometricData::Absent => "none".into(),
        })
    }
}

/// One biometric information template (`7F60`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BiometricRecord {
    /// The header template.
    pub header: BiometricHeader,
    /// The data block.
    pub data: BiometricData,
    /// Other elements of the template, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<RawElement>,
    #[serde(skip)]
    layout: Layout,
}

impl BiometricRecord {
    /// A record of a header and clear data.
    pub fn new(header: BiometricHeader, data: Vec<u8>) -> Self {
        BiometricRecord {
            header,
            data: BiometricData::Plain(data),
            other: Vec::new(),
            layout: Layout::default(),
        }
    }

    fn parse(value: &[u8], index: usize, warnings: &mut Vec<String>) -> Result<BiometricRecord> {
        let mut layout = Layout::default();
        let mut header = None;
        let mut data = BiometricData::Absent;
        let mut other = Vec::new();
        for c in children(value, &mut layout)? {
            match c.tag {
                HEADER_TAG if header.is_none() => {
                    header = Some(BiometricHeader::parse(c.value, warnings)?);
                }
                DATA_TAG if data == BiometricData::Absent => {
                    data = BiometricData::Plain(c.value.to_vec());
                }
                ENCIPHERED_DATA_TAG if data == BiometricData::Absent => {
                    data = BiometricData::from_7f2e(c.value);
                }
                tag => {
                    if matches!(tag, HEADER_TAG | DATA_TAG | ENCIPHERED_DATA_TAG) {
                        warnings.push(format!("record {index}: a second {tag:X}, kept as is"));
                    }
                    other.push(RawElement {
                        tag,
                        value: c.value.to_vec(),
                    });
                }
            }
        }
        let header = header.ok_or_else(|| {
            Error::Lds(format!(
                "biometric information template {index} has no header template A1"
            ))
        })?;
        Ok(BiometricRecord {
            header,
            data,
            other,
            layout,
        })
    }

    /// The value of the `7F60` template.
    pub fn encode_value(&self) -> Vec<u8> {
        let mut items = vec![(HEADER_TAG, self.header.encode_value())];
        match &self.data {
            BiometricData::Plain(b) => items.push((DATA_TAG, b.clone())),
            BiometricData::Extensible(b) | BiometricData::Enciphered(b) => {
                items.push((ENCIPHERED_DATA_TAG, b.clone()))
            }
            BiometricData::Absent => {}
        }
        items.extend(self.other.iter().map(|e| (e.tag, e.value.clone())));
        arrange(&items, &self.layout)
    }
}

/// A biometric information group: DG2, DG3, DG4, or a bare `7F61` (a BIT group of
/// ISO/IEC 7816-11).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BiometricGroup {
    /// The outer tag (`75`, `63`, `76`), or none for a bare `7F61`.
    pub outer_tag: Option<u32>,
    /// The biometric information templates.
    pub records: Vec<BiometricRecord>,
    /// Elements of `7F61` other than the count and the templates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other: Vec<RawElement>,
    /// Elements of the outer template other than `7F61`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outer_other: Vec<RawElement>,
    /// The number of instances the group declared, if it did.
    pub declared_count: Option<u32>,
    /// What was odd but readable (a wrong count, repeated elements, trailing bytes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    #[serde(skip)]
    root: Layout,
    #[serde(skip)]
    outer: Layout,
    #[serde(skip)]
    template: Layout,
    #[serde(skip)]
    count_raw: Option<Vec<u8>>,
}

impl BiometricGroup {
    /// A group of records under `outer_tag` (or a bare `7F61` for `None`).
    pub fn new(outer_tag: Option<u32>, records: Vec<BiometricRecord>) -> Self {
        BiometricGroup {
            outer_tag,
            records,
            other: Vec::new(),
            outer_other: Vec::new(),
            declared_count: None,
            warnings: Vec::new(),
            root: Layout::default(),
            outer: Layout::default(),
            template: Layout::default(),
            count_raw: None,
        }
    }

    /// Parses a group: an outer template around `7F61`, or `7F61` itself. Bytes after the first
    /// object (padding read with the file) are ignored, with a warning unless 00 or FF.
    pub fn parse(bytes: &[u8]) -> Result<BiometricGroup> {
        let (top, rest) = Tlv::parse(bytes)?;
        let mut g = BiometricGroup::new(None, Vec::new());
        g.root.note(&top);
        let group = if top.tag == GROUP_TAG {
            top
        } else {
            g.outer_tag = Some(top.tag);
            let mut group = None;
            for c in children(top.value, &mut g.outer)? {
                match c.tag {
                    GROUP_TAG if group.is_none() => group = Some(c),
                    tag => g.outer_other.push(RawElement {
                        tag,
                        value: c.value.to_vec(),
                    }),
                }
            }
            group.ok_or_else(|| {
                Error::Lds(format!(
                    "tag {:X} holds no biometric information group template 7F61",
                    top.tag
                ))
            })?
        };
        if !g.outer_other.is_empty() {
            g.warnings.push(format!(
                "{} unexpected elements beside 7F61, kept as is",
                g.outer_other.len()
            ));
        }
        let mut warnings = Vec::new();
        for c in children(group.value, &mut g.template)? {
            match c.tag {
                COUNT_TAG if g.count_raw.is_none() => {
                    g.declared_count = uint(c.value);
                    g.count_raw = Some(c.value.to_vec());
                }
                BIT_TAG => {
                    let i = g.records.len();
                    g.records
                        .push(BiometricRecord::parse(c.value, i, &mut warnings)?);
                }
                tag => {
                    warnings.push(format!("unexpected element {tag:X} in 7F61, kept as is"));
                    g.other.push(RawElement {
                        tag,
                        value: c.value.to_vec(),
                    });
                }
            }
        }
        match (&g.count_raw, g.declared_count) {
            (None, _) => warnings.push("7F61 has no number of instances (02)".into()),
            (Some(raw), None) => warnings.push(format!(
                "number of instances {} is not a number",
                hex::encode_upper(raw)
            )),
            (Some(_), Some(n)) if n as usize != g.records.len() => warnings.push(format!(
                "number of instances says {n}, the group holds {}",
                g.records.len()
            )),
            _ => {}
        }
        if rest.iter().any(|&b| b != 0x00 && b != 0xFF) {
            warnings.push(format!("{} bytes after the group ignored", rest.len()));
        }
        g.warnings.extend(warnings);
        Ok(g)
    }

    /// Encodes the group. Layout details read from a file are reused while they still hold.
    pub fn encode(&self) -> Vec<u8> {
        let n = self.records.len() as u32;
        let count = match &self.count_raw {
            Some(raw) if uint(raw) == Some(n) => raw.clone(),
            _ => minimal_uint(n),
        };
        let mut items = vec![(COUNT_TAG, count)];
        items.extend(self.records.iter().map(|r| (BIT_TAG, r.encode_value())));
        items.extend(self.other.iter().map(|e| (e.tag, e.value.clone())));
        let group = arrange(&items, &self.template);
        match self.outer_tag {
            Some(tag) => {
                let mut items = vec![(GROUP_TAG, group)];
                items.extend(self.outer_other.iter().map(|e| (e.tag, e.value.clone())));
                arrange(&[(tag, arrange(&items, &self.outer))], &self.root)
            }
            None => arrange(&[(GROUP_TAG, group)], &self.root),
        }
    }
}

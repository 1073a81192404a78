//! The object identifiers of the eMRTD access protocols and what they mean (BSI TR-03110-3
//! Appendix A.1.1 and A.2.1, ICAO Doc 9303-11 clause 9.2 and clause 9.5.1): PACE with its
//! mappings and ciphers, Chip Authentication and its public key OIDs, Terminal Authentication,
//! Active Authentication, the ECDSA plain signature algorithms of BSI TR-03111, and the
//! standardized domain parameters (ids 0-2: the RFC 5114 MODP groups; ids 8-18: named curves).
//!
//! Everything here is a table: parsing an OID never fails, it just answers `None` for an OID the
//! table does not know.

use der::asn1::ObjectIdentifier;

const fn oid(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(s)
}

/// bsi-de protocols smartcard (0.4.0.127.0.7.2.2): the arc of all EAC/PACE protocol OIDs.
pub const ID_BSI_PROTOCOLS: ObjectIdentifier = oid("0.4.0.127.0.7.2.2");
/// id-PK (0.4.0.127.0.7.2.2.1): Chip Authentication public keys.
pub const ID_PK: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.1");
/// id-PK-DH.
pub const ID_PK_DH: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.1.1");
/// id-PK-ECDH.
pub const ID_PK_ECDH: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.1.2");
/// id-TA (0.4.0.127.0.7.2.2.2): Terminal Authentication.
pub const ID_TA: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2");
/// id-TA-RSA.
pub const ID_TA_RSA: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.1");
/// id-TA-RSA-v1-5-SHA-1.
pub const ID_TA_RSA_V1_5_SHA_1: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.1.1");
/// id-TA-RSA-v1-5-SHA-256.
pub const ID_TA_RSA_V1_5_SHA_256: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.1.2");
/// id-TA-RSA-PSS-SHA-1.
pub const ID_TA_RSA_PSS_SHA_1: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.1.3");
/// id-TA-RSA-PSS-SHA-256.
pub const ID_TA_RSA_PSS_SHA_256: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.1.4");
/// id-TA-RSA-v1-5-SHA-512.
pub const ID_TA_RSA_V1_5_SHA_512: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.1.5");
/// id-TA-RSA-PSS-SHA-512.
pub const ID_TA_RSA_PSS_SHA_512: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.1.6");
/// id-TA-ECDSA.
pub const ID_TA_ECDSA: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.2");
/// id-TA-ECDSA-SHA-1.
pub const ID_TA_ECDSA_SHA_1: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.2.1");
/// id-TA-ECDSA-SHA-224.
pub const ID_TA_ECDSA_SHA_224: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.2.2");
/// id-TA-ECDSA-SHA-256.
pub const ID_TA_ECDSA_SHA_256: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.2.3");
/// id-TA-ECDSA-SHA-384.
pub const ID_TA_ECDSA_SHA_384: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.2.4");
/// id-TA-ECDSA-SHA-512.
pub const ID_TA_ECDSA_SHA_512: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.2.2.5");
/// id-CA (0.4.0.127.0.7.2.2.3): Chip Authentication.
pub const ID_CA: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.3");
/// id-CA-DH: the protocol of a DH ChipAuthenticationDomainParameterInfo.
pub const ID_CA_DH: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.3.1");
/// id-CA-ECDH: the protocol of an ECDH ChipAuthenticationDomainParameterInfo.
pub const ID_CA_ECDH: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.3.2");
/// id-PACE (0.4.0.127.0.7.2.2.4).
pub const ID_PACE: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.4");
/// id-RI (0.4.0.127.0.7.2.2.5): Restricted Identification (not implemented; kept as unknown).
pub const ID_RI: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.5");
/// id-CI (0.4.0.127.0.7.2.2.6): CardInfoLocator, a URL (kept as unknown).
pub const ID_CI: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.6");
/// id-PT (0.4.0.127.0.7.2.2.8): PrivilegedTerminalInfo (kept as unknown).
pub const ID_PT: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.8");
/// id-PS (0.4.0.127.0.7.2.2.11): Pseudonymous Signatures (kept as unknown).
pub const ID_PS: ObjectIdentifier = oid("0.4.0.127.0.7.2.2.11");
/// id-SecurityObject (0.4.0.127.0.7.3.2.1): the eContentType of EF.CardSecurity.
pub const ID_SECURITY_OBJECT: ObjectIdentifier = oid("0.4.0.127.0.7.3.2.1");
/// id-AA (2.23.136.1.1.5): ActiveAuthenticationInfo (ICAO Doc 9303-11 clause 9.2.9).
pub const ID_AA: ObjectIdentifier = oid("2.23.136.1.1.5");
/// standardizedDomainParameters (0.4.0.127.0.7.1.2): an AlgorithmIdentifier whose parameter is
/// an INTEGER id of [`StandardizedDomainParameters`](crate::crypto::domain::StandardizedDomainParameters).
pub const ID_STANDARDIZED_DOMAIN_PARAMETERS: ObjectIdentifier = oid("0.4.0.127.0.7.1.2");
/// ecdsa-plain-SHA1 (BSI TR-03111), an AA signature algorithm.
pub const ECDSA_PLAIN_SHA1: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.1");
/// ecdsa-plain-SHA224.
pub const ECDSA_PLAIN_SHA224: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.2");
/// ecdsa-plain-SHA256.
pub const ECDSA_PLAIN_SHA256: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.3");
/// ecdsa-plain-SHA384.
pub const ECDSA_PLAIN_SHA384: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.4");
/// ecdsa-plain-SHA512.
pub const ECDSA_PLAIN_SHA512: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.5");
/// ecdsa-plain-RIPEMD160.
pub const ECDSA_PLAIN_RIPEMD160: ObjectIdentifier = oid("0.4.0.127.0.7.1.1.4.1.6");

/// How PACE maps the nonce to an ephemeral generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum PaceMapping {
    /// Generic Mapping (GM).
    Generic,
    /// Integrated Mapping (IM).
    Integrated,
    /// Chip Authentication Mapping (CAM, ECDH only).
    ChipAuthentication,
}

/// The key agreement of PACE or Chip Authentication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum KeyAgreement {
    /// Diffie-Hellman over a MODP group.
    Dh,
    /// Elliptic-curve Diffie-Hellman.
    Ecdh,
}

/// The secure messaging cipher a protocol sets up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Cipher {
    /// Two-key 3DES CBC with the retail MAC (3DES-CBC-CBC).
    Tdes,
    /// AES-128 CBC with CMAC.
    Aes128,
    /// AES-192 CBC with CMAC.
    Aes192,
    /// AES-256 CBC with CMAC.
    Aes256,
}

impl Cipher {
    /// The last OID arc (1 3DES, 2 AES-128, 3 AES-192, 4 AES-256).
    fn arc(self) -> u8 {
        match self {
            Cipher::Tdes => 1,
            Cipher::Aes128 => 2,
            Cipher::Aes192 => 3,
            Cipher::Aes256 => 4,
        }
    }

    fn from_arc(arc: u8) -> Option<Cipher> {
        match arc {
            1 => Some(Cipher::Tdes),
            2 => Some(Cipher::Aes128),
            3 => Some(Cipher::Aes192),
            4 => Some(Cipher::Aes256),
            _ => None,
        }
    }

    /// The key length in bytes (two-key 3DES: 16).
    pub fn key_len(self) -> usize {
        match self {
            Cipher::Tdes | Cipher::Aes128 => 16,
            Cipher::Aes192 => 24,
            Cipher::Aes256 => 32,
        }
    }

    /// "3DES", "AES-128", "AES-192", "AES-256".
    pub fn name(self) -> &'static str {
        match self {
            Cipher::Tdes => "3DES",
            Cipher::Aes128 => "AES-128",
            Cipher::Aes192 => "AES-192",
            Cipher::Aes256 => "AES-256",
        }
    }

    /// The OID suffix of TR-03110: "3DES-CBC-CBC", "AES-CBC-CMAC-128", ...
    fn oid_suffix(self) -> &'static str {
        match self {
            Cipher::Tdes => "3DES-CBC-CBC",
            Cipher::Aes128 => "AES-CBC-CMAC-128",
            Cipher::Aes192 => "AES-CBC-CMAC-192",
            Cipher::Aes256 => "AES-CBC-CMAC-256",
        }
    }
}

impl KeyAgreement {
    fn name(self) -> &'static str {
        match self {
            KeyAgreement::Dh => "DH",
            KeyAgreement::Ecdh => "ECDH",
        }
    }
}

/// The content octets of `ID_BSI_PROTOCOLS`, the prefix every protocol OID here shares.
const BSI_PREFIX: [u8; 7] = [0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02];

/// The arcs after 0.4.0.127.0.7.2.2 when they are all small (< 128), else `None`.
fn bsi_arcs(oid: &ObjectIdentifier) -> Option<&[u8]> {
    let rest = oid.as_bytes().strip_prefix(&BSI_PREFIX[..])?;
    rest.iter().all(|b| b & 0x80 == 0).then_some(rest)
}

/// Builds 0.4.0.127.0.7.2.2.a.b... from small arcs.
fn bsi_oid(arcs: &[u8]) -> Option<ObjectIdentifier> {
    let mut bytes = BSI_PREFIX.to_vec();
    bytes.extend_from_slice(arcs);
    ObjectIdentifier::from_bytes(&bytes).ok()
}

/// The id-PACE arc of an agreement and mapping (1 DH-GM, 2 ECDH-GM, 3 DH-IM, 4 ECDH-IM,
/// 6 ECDH-CAM); `None` for DH-CAM, which does not exist.
fn pace_arc(agreement: KeyAgreement, mapping: PaceMapping) -> Option<u8> {
    match (agreement, mapping) {
        (KeyAgreement::Dh, PaceMapping::Generic) => Some(1),
        (KeyAgreement::Ecdh, PaceMapping::Generic) => Some(2),
        (KeyAgreement::Dh, PaceMapping::Integrated) => Some(3),
        (KeyAgreement::Ecdh, PaceMapping::Integrated) => Some(4),
        (KeyAgreement::Ecdh, PaceMapping::ChipAuthentication) => Some(6),
        (KeyAgreement::Dh, PaceMapping::ChipAuthentication) => None,
    }
}

fn pace_from_arc(arc: u8) -> Option<(KeyAgreement, PaceMapping)> {
    match arc {
        1 => Some((KeyAgreement::Dh, PaceMapping::Generic)),
        2 => Some((KeyAgreement::Ecdh, PaceMapping::Generic)),
        3 => Some((KeyAgreement::Dh, PaceMapping::Integrated)),
        4 => Some((KeyAgreement::Ecdh, PaceMapping::Integrated)),
        6 => Some((KeyAgreement::Ecdh, PaceMapping::ChipAuthentication)),
        _ => None,
    }
}

fn agreement_from_arc(arc: u8) -> Option<KeyAgreement> {
    match arc {
        1 => Some(KeyAgreement::Dh),
        2 => Some(KeyAgreement::Ecdh),
        _ => None,
    }
}

fn agreement_arc(agreement: KeyAgreement) -> u8 {
    match agreement {
        KeyAgreement::Dh => 1,
        KeyAgreement::Ecdh => 2,
    }
}

/// A PACE protocol: id-PACE-{DH,ECDH}-{GM,IM,CAM}-{cipher} (0.4.0.127.0.7.2.2.4.m.c).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PaceProtocol {
    /// DH or ECDH.
    pub agreement: KeyAgreement,
    /// GM, IM or CAM.
    pub mapping: PaceMapping,
    /// The secure messaging cipher.
    pub cipher: Cipher,
}

impl PaceProtocol {
    /// The protocol an OID names, if it is one of the 19 PACE protocol OIDs.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<PaceProtocol> {
        match bsi_arcs(oid)? {
            [4, m, c] => {
                let (agreement, mapping) = pace_from_arc(*m)?;
                let cipher = Cipher::from_arc(*c)?;
                let p = PaceProtocol {
                    agreement,
                    mapping,
                    cipher,
                };
                p.is_defined().then_some(p)
            }
            _ => None,
        }
    }

    /// True for the combinations TR-03110 defines (CAM exists only for ECDH with AES).
    pub fn is_defined(&self) -> bool {
        pace_arc(self.agreement, self.mapping).is_some()
            && !(self.mapping == PaceMapping::ChipAuthentication && self.cipher == Cipher::Tdes)
    }

    /// The OID, or `None` for a combination TR-03110 does not define (see [`Self::is_defined`]).
    pub fn oid(&self) -> Option<ObjectIdentifier> {
        if !self.is_defined() {
            return None;
        }
        bsi_oid(&[
            4,
            pace_arc(self.agreement, self.mapping)?,
            self.cipher.arc(),
        ])
    }

    /// The BSI name: "id-PACE-ECDH-GM-AES-CBC-CMAC-128".
    pub fn name(&self) -> String {
        let mapping = match self.mapping {
            PaceMapping::Generic => "GM",
            PaceMapping::Integrated => "IM",
            PaceMapping::ChipAuthentication => "CAM",
        };
        format!(
            "id-PACE-{}-{mapping}-{}",
            self.agreement.name(),
            self.cipher.oid_suffix()
        )
    }

    /// Every defined PACE protocol.
    pub fn all() -> Vec<PaceProtocol> {
        let mut out = Vec::new();
        for agreement in [KeyAgreement::Dh, KeyAgreement::Ecdh] {
            for mapping in [
                PaceMapping::Generic,
                PaceMapping::Integrated,
                PaceMapping::ChipAuthentication,
            ] {
                for cipher in [Cipher::Tdes, Cipher::Aes128, Cipher::Aes192, Cipher::Aes256] {
                    let p = PaceProtocol {
                        agreement,
                        mapping,
                        cipher,
                    };
                    if p.is_defined() {
                        out.push(p);
                    }
                }
            }
        }
        out
    }
}

/// The agreement and mapping of a PACEDomainParameterInfo protocol OID (id-PACE-DH-GM,
/// id-PACE-ECDH-GM, id-PACE-DH-IM, id-PACE-ECDH-IM, id-PACE-ECDH-CAM: 0.4.0.127.0.7.2.2.4.m).
pub fn pace_domain_parameters_protocol(
    oid: &ObjectIdentifier,
) -> Option<(KeyAgreement, PaceMapping)> {
    match bsi_arcs(oid)? {
        [4, m] => pace_from_arc(*m),
        _ => None,
    }
}

/// The OID of a PACEDomainParameterInfo protocol (`None` for DH-CAM).
pub fn pace_domain_parameters_oid(
    agreement: KeyAgreement,
    mapping: PaceMapping,
) -> Option<ObjectIdentifier> {
    bsi_oid(&[4, pace_arc(agreement, mapping)?])
}

/// A Chip Authentication protocol: id-CA-{DH,ECDH}-{cipher} (0.4.0.127.0.7.2.2.3.a.c), or with
/// no cipher the public key OIDs id-PK-DH / id-PK-ECDH (0.4.0.127.0.7.2.2.1.a).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct CaProtocol {
    /// DH or ECDH.
    pub agreement: KeyAgreement,
    /// The cipher; `None` for the id-PK-DH / id-PK-ECDH public key OIDs.
    pub cipher: Option<Cipher>,
}

impl CaProtocol {
    /// The protocol an id-CA-*-cipher or id-PK-* OID names.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<CaProtocol> {
        match bsi_arcs(oid)? {
            [3, a, c] => Some(CaProtocol {
                agreement: agreement_from_arc(*a)?,
                cipher: Some(Cipher::from_arc(*c)?),
            }),
            [1, a] => Some(CaProtocol {
                agreement: agreement_from_arc(*a)?,
                cipher: None,
            }),
            _ => None,
        }
    }

    /// The OID: id-CA-*-cipher, or id-PK-* without a cipher.
    pub fn oid(&self) -> ObjectIdentifier {
        match (self.agreement, self.cipher) {
            (KeyAgreement::Dh, None) => ID_PK_DH,
            (KeyAgreement::Ecdh, None) => ID_PK_ECDH,
            (a, Some(c)) => {
                // Small constant arcs always form a valid OID; the fallback is unreachable.
                bsi_oid(&[3, agreement_arc(a), c.arc()]).unwrap_or(ID_CA)
            }
        }
    }

    /// Every id-CA-{DH,ECDH}-cipher protocol with its name and OID (for configuration files).
    pub fn all_with_cipher() -> Vec<(String, ObjectIdentifier)> {
        let ciphers = [Cipher::Tdes, Cipher::Aes128, Cipher::Aes192, Cipher::Aes256];
        [KeyAgreement::Dh, KeyAgreement::Ecdh]
            .into_iter()
            .flat_map(|agreement| {
                ciphers.into_iter().map(move |c| CaProtocol {
                    agreement,
                    cipher: Some(c),
                })
            })
            .map(|p| (p.name(), p.oid()))
            .collect()
    }

    /// The BSI name: "id-CA-ECDH-AES-CBC-CMAC-128", or "id-PK-ECDH" without a cipher.
    pub fn name(&self) -> String {
        match self.cipher {
            Some(c) => format!("id-CA-{}-{}", self.agreement.name(), c.oid_suffix()),
            None => format!("id-PK-{}", self.agreement.name()),
        }
    }
}

/// The agreement of a ChipAuthenticationDomainParameterInfo protocol (id-CA-DH, id-CA-ECDH).
pub fn ca_domain_parameters_protocol(oid: &ObjectIdentifier) -> Option<KeyAgreement> {
    match bsi_arcs(oid)? {
        [3, a] => agreement_from_arc(*a),
        _ => None,
    }
}

/// id-CA-DH or id-CA-ECDH.
pub fn ca_domain_parameters_oid(agreement: KeyAgreement) -> ObjectIdentifier {
    match agreement {
        KeyAgreement::Dh => ID_CA_DH,
        KeyAgreement::Ecdh => ID_CA_ECDH,
    }
}

/// A MODP group with a prime-order subgroup from RFC 5114 clause 2 (PACE/CA standardized
/// domain parameters 0, 1, 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum DhGroup {
    /// 1024-bit MODP group with 160-bit prime order subgroup (RFC 5114 clause 2.1), id 0.
    Modp1024_160,
    /// 2048-bit MODP group with 224-bit prime order subgroup (RFC 5114 clause 2.2), id 1.
    Modp2048_224,
    /// 2048-bit MODP group with 256-bit prime order subgroup (RFC 5114 clause 2.3), id 2.
    Modp2048_256,
}

/// (p, g, q) of the RFC 5114 groups, as OpenSSL's `dh_rfc5114` tables print them; the unit
/// test checks p and q are consistent (q divides p − 1, g^q = 1 mod p).
#[rustfmt::skip]
const RFC5114: [[&str; 3]; 3] = [
    [
        "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371",
        "A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28AD662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5",
        "F518AA8781A8DF278ABA4E7D64B7CB9D49462353",
    ],
    [
        "AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75E6FA141DF95A56DBAF9A3C407BA1DF15EB3D688A309C180E1DE6B85A1274A0A66D3F8152AD6AC2129037C9EDEFDA4DF8D91E8FEF55B7394B7AD5B7D0B6C12207C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708B3BF8A317091883681286130BC8985DB1602E714415D9330278273C7DE31EFDC7310F7121FD5A07415987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8BE60E69CC928B2B9C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29E3FB73C16B8E75B97EF363E2FFA31F71CF9DE5384E71B81C0AC4DFFE0C10E64F",
        "AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3A6824A4E10B9A6F0DD921F01A70C4AFAAB739D7700C29F52C57DB17C620A8652BE5E9001A8D66AD7C17669101999024AF4D027275AC1348BB8A762D0521BC98AE247150422EA1ED409939D54DA7460CDB5F6C6B250717CBEF180EB34118E98D119529A45D6F834566E3025E316A330EFBB77A86F0C1AB15B051AE3D428C8F8ACB70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381B539CCE3409D13CD566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD7B5A0F1C71CFFF4C19C418E1F6EC017981BC087F2A7065B384B890D3191F2BFA",
        "801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB",
    ],
    [
        "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8EF6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597",
        "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA12510DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0ADB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C32F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659",
        "8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3",
    ],
];

impl DhGroup {
    fn table(self) -> &'static [&'static str; 3] {
        match self {
            DhGroup::Modp1024_160 => &RFC5114[0],
            DhGroup::Modp2048_224 => &RFC5114[1],
            DhGroup::Modp2048_256 => &RFC5114[2],
        }
    }

    /// The standardized domain parameter id (0, 1, 2).
    pub fn id(self) -> u8 {
        match self {
            DhGroup::Modp1024_160 => 0,
            DhGroup::Modp2048_224 => 1,
            DhGroup::Modp2048_256 => 2,
        }
    }

    /// The prime p, big-endian.
    pub fn p(self) -> Vec<u8> {
        hex::decode(self.table()[0]).unwrap_or_default()
    }

    /// The generator g, big-endian.
    pub fn g(self) -> Vec<u8> {
        hex::decode(self.table()[1]).unwrap_or_default()
    }

    /// The order q of the subgroup g generates, big-endian.
    pub fn q(self) -> Vec<u8> {
        hex::decode(self.table()[2]).unwrap_or_default()
    }

    /// "1024-bit MODP group with 160-bit prime order subgroup" etc.
    pub fn name(self) -> &'static str {
        match self {
            DhGroup::Modp1024_160 => "1024-bit MODP group with 160-bit prime order subgroup",
            DhGroup::Modp2048_224 => "2048-bit MODP group with 224-bit prime order subgroup",
            DhGroup::Modp2048_256 => "2048-bit MODP group with 256-bit prime order subgroup",
        }
    }
}

/// A readable name for a protocol or algorithm OID of this module ("id-TA-ECDSA-SHA-256",
/// "id-CI", "ecdsa-plain-SHA256"), for reports on infos dactyl keeps but does not interpret.
pub fn name(oid: &ObjectIdentifier) -> Option<String> {
    if let Some(p) = PaceProtocol::from_oid(oid) {
        return Some(p.name());
    }
    if let Some(p) = CaProtocol::from_oid(oid) {
        return Some(p.name());
    }
    if let Some((a, m)) = pace_domain_parameters_protocol(oid) {
        let m = match m {
            PaceMapping::Generic => "GM",
            PaceMapping::Integrated => "IM",
            PaceMapping::ChipAuthentication => "CAM",
        };
        return Some(format!("id-PACE-{}-{m}", a.name()));
    }
    if let Some(a) = ca_domain_parameters_protocol(oid) {
        return Some(format!("id-CA-{}", a.name()));
    }
    let fixed: &[(ObjectIdentifier, &str)] = &[
        (ID_TA, "id-TA"),
        (ID_TA_RSA, "id-TA-RSA"),
        (ID_TA_RSA_V1_5_SHA_1, "id-TA-RSA-v1-5-SHA-1"),
        (ID_TA_RSA_V1_5_SHA_256, "id-TA-RSA-v1-5-SHA-256"),
        (ID_TA_RSA_PSS_SHA_1, "id-TA-RSA-PSS-SHA-1"),
        (ID_TA_RSA_PSS_SHA_256, "id-TA-RSA-PSS-SHA-256"),
        (ID_TA_RSA_V1_5_SHA_512, "id-TA-RSA-v1-5-SHA-512"),
        (ID_TA_RSA_PSS_SHA_512, "id-TA-RSA-PSS-SHA-512"),
        (ID_TA_ECDSA, "id-TA-ECDSA"),
        (ID_TA_ECDSA_SHA_1, "id-TA-ECDSA-SHA-1"),
        (ID_TA_ECDSA_SHA_224, "id-TA-ECDSA-SHA-224"),
        (ID_TA_ECDSA_SHA_256, "id-TA-ECDSA-SHA-256"),
        (ID_TA_ECDSA_SHA_384, "id-TA-ECDSA-SHA-384"),
        (ID_TA_ECDSA_SHA_512, "id-TA-ECDSA-SHA-512"),
        (ID_RI, "id-RI"),
        (ID_CI, "id-CI"),
        (ID_PT, "id-PT"),
        (ID_PS, "id-PS"),
        (ID_SECURITY_OBJECT, "id-SecurityObject"),
        (ID_AA, "id-AA"),
        (
            ID_STANDARDIZED_DOMAIN_PARAMETERS,
            "standardizedDomainParameters",
        ),
        (ECDSA_PLAIN_SHA1, "ecdsa-plain-SHA1"),
        (ECDSA_PLAIN_SHA224, "ecdsa-plain-SHA224"),
        (ECDSA_PLAIN_SHA256, "ecdsa-plain-SHA256"),
        (ECDSA_PLAIN_SHA384, "ecdsa-plain-SHA384"),
        (ECDSA_PLAIN_SHA512, "ecdsa-plain-SHA512"),
        (ECDSA_PLAIN_RIPEMD160, "ecdsa-plain-RIPEMD160"),
    ];
    if let Some((_, n)) = fixed.iter().find(|(o, _)| o == oid) {
        return Some((*n).to_string());
    }
    // Sub-arcs of RI, PS (e.g. id-RI-ECDH-SHA-256) are named by their family.
    let family = match bsi_arcs(oid)? {
        [5, ..] => "id-RI",
        [11, ..] => "id-PS",
        _ => return None,
    };
    Some(format!("{family} ({oid})"))
}

#[cfg(test)]
#[rustfmt::skip]
mod tests;

#!/usr/bin/python3
"""An independent EAC inspection system: PACE, Chip Authentication v1, Terminal Authentication v1.

Written from BSI TR-03110 v2.2 part 1 (3.4 Chip Authentication version 1, 3.5 Terminal
Authentication version 1) and part 3 (A.1.1.2/A.1.1.3 SecurityInfos, A.2.2.3 Comp, A.7.2.4
EF.CVCA, A.7.4 ECDSA, B.2/B.3 command sequences, B.14 APDUs, C CV certificates, D.2 data objects,
F.5 send sequence counter) and ICAO Doc 9303-11, without the dactyl sources. PACE, the curves,
the KDF and AES secure messaging are those of the sibling script pace_cam_terminal.py (also
written from the standard); ECDSA comes from the `cryptography` package; the card is reached
through pyscard (PC/SC).

  eac_terminal.py --self-test
      the BSI "Worked Example for EAC" (v1.01) Terminal Authentication signature, and the ICAO
      worked examples of pace_cam_terminal.py
  eac_terminal.py --reader R --can CAN [--cv-dir fixtures/eac] [--binding dynamic|static]
      PACE with the CAN, EF.CVCA, DG14, Chip Authentication v1, Terminal Authentication v1 with
      the CV certificates DV + IS of --cv-dir, DG3; with negative checks (DG3 refused before TA,
      a TA signature without Comp(PK_PCD) refused with 6300, a second TA refused)

Prints one JSON line; exit 0 only when every check passed, 1 when a check failed, 2 for usage or
environment errors.
"""

import argparse
import json
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pace_cam_terminal as pc  # noqa: E402  (the sibling script: PACE, curves, SM, DER)

from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, utils  # noqa: E402

Failure = pc.Failure

# --- object identifiers (TR-03110-3 A.1.1.2, A.1.1.3, A.2.1) ---

ID_CA_ECDH = bytes.fromhex("04007F000702020302")  # id-CA-ECDH 0.4.0.127.0.7.2.2.3.2
CA_KEY_LENGTHS = {2: 16, 3: 24, 4: 32}  # id-CA-ECDH-AES-CBC-CMAC-128 / -192 / -256
ID_PK_ECDH = bytes.fromhex("04007F000702020102")  # id-PK-ECDH 0.4.0.127.0.7.2.2.1.2
ID_TA = bytes.fromhex("04007F0007020202")  # id-TA 0.4.0.127.0.7.2.2.2
ID_TA_ECDSA = ID_TA + b"\x02"
TA_ECDSA_HASHES = {1: hashes.SHA1, 2: hashes.SHA224, 3: hashes.SHA256, 4: hashes.SHA384,
                   5: hashes.SHA512}
ID_EC_PUBLIC_KEY = bytes.fromhex("2A8648CE3D0201")  # 1.2.840.10045.2.1
ID_PRIME_FIELD = bytes.fromhex("2A8648CE3D0101")  # 1.2.840.10045.1.1
STANDARDIZED_DOMAIN_PARAMETERS = bytes.fromhex("04007F00070102")  # 0.4.0.127.0.7.1.2

LDS1_AID = bytes.fromhex("A0000002471001")
SFI_DG3, SFI_DG14, SFI_CVCA, FID_CVCA = 0x03, 0x0E, 0x1C, 0x011C
EF_CVCA_SIZE = 36
CHUNK = 0xDF  # READ BINARY length: the SM response still fits a short APDU

# The cryptography curve of each standardized parameter id the CV PKI may use (part 3 table 4).
CRYPTO_CURVES = {12: ec.SECP256R1, 13: ec.BrainpoolP256R1, 15: ec.SECP384R1,
                 16: ec.BrainpoolP384R1, 17: ec.BrainpoolP512R1}

# --- BSI "Worked Example for EAC" v1.01 (public test values), for --self-test ---

# The AT terminal certificate DETESTATDE019 (id-TA-ECDSA-SHA-512, brainpoolP512r1): its public
# point (7F49 / 86), copied from the worked example's BSI_EACWE_ECDH_Terminal.cvcert.
WE_TERMINAL_POINT = (
    "043385B484E8E994C93F55ADF4A9C92DA3C063AC7D744E85D38EE070BF6FF8D7AB"
    "A2DE688724B27D6BAE2B1C8AE074C09BB8808CC83036B0692898711D3F6FC32138"
    "46E14B3154845084DFBC0EB70AE2BDEA8EEBD6796ACFA4C56F5703CE5A6EFE0A26"
    "6E43C3F71A1B7EEC60E5C6F0850DC4D3455F53282C9FBCA85DC947D13BEE")
WE_TERMINAL_CHR = "DETESTATDE019"
# PK~_PICC of PACE (brainpoolP256r1): ID_PICC is its x-coordinate (dynamic binding).
WE_PK_PICC_PACE = (
    "04282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD680"
    "4DF3658B835AC2E7133F13691184542BB50B109963A4662ABDC08B9763AF4B5B")
WE_R_PICC = "547E4EAB03B235D2"
# PK~_PCD of Chip Authentication (brainpoolP256r1): Comp() is its x-coordinate.
WE_PK_PCD_CA = (
    "045A7A377FC9CAFC03AC7FF45441A8B2909D88EAB8E6B0173847AB49B949DF3799"
    "A34EE57EC55268CF8B1C3EC489F8BF4CF4C68D3FD9670E89C0D5D3FFF1AAF89F")
WE_SIGNATURE = (
    "81A2D9E5891B86A0F01ADD0341C89D6E9EF3E20C223884F27B2F2040E9721C46"
    "C9C3CF7C0EE0A422263BA6F1EAFC693BD8738F34760B5998584F58DD25B8D60D"
    "99D7C45957C2E2F10C0E5F91A8DC88BD7CFA33CBF784A9DA83C800324165179D"
    "BE71C69B2C0FD811270E436C43278184DDB542142342DBF156E82D2A1BC19085")


# --- BER-TLV (multi-byte tags and lengths; ISO/IEC 7816-4 / X.690) ---


def ber_read(data, pos, end):
    """(tag bytes, constructed, value start, value end) of the TLV at pos."""
    if pos >= end:
        raise Failure(f"BER: expected a tag at offset {pos}")
    start = pos
    first = data[pos]
    pos += 1
    if first & 0x1F == 0x1F:
        while True:
            if pos >= end:
                raise Failure(f"BER: truncated tag at offset {start}")
            pos += 1
            if not data[pos - 1] & 0x80:
                break
    tag = data[start:pos]
    if pos >= end:
        raise Failure(f"BER: no length after tag {tag.hex()} at offset {start}")
    length = data[pos]
    pos += 1
    if length == 0x80:
        raise Failure(f"BER: indefinite length at offset {start} (tag {tag.hex()})")
    if length & 0x80:
        count = length & 0x7F
        if count > 4 or pos + count > end:
            raise Failure(f"BER: bad length field 0x{length:02X} at offset {start}")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + length > end:
        raise Failure(f"BER: tag {tag.hex()} at offset {start} holds {length} bytes, only "
                      f"{end - pos} left")
    return tag, bool(first & 0x20), pos, pos + length


def ber_parse(data, pos=0, end=None, depth=0):
    """Parses data[pos:end] completely as a sequence of TLVs (recursing into constructed ones);
    returns the number of TLVs."""
    end = len(data) if end is None else end
    if depth > 16:
        raise Failure("BER: nesting deeper than 16")
    count = 0
    while pos < end:
        _, constructed, vstart, vend = ber_read(data, pos, end)
        count += 1
        if constructed:
            count += ber_parse(data, vstart, vend, depth + 1)
        pos = vend
    return count


def unsigned(n):
    """Unsigned integer, minimal big-endian octets (TR-03110-3 D.2.1.1)."""
    return n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")


# --- plain ECDSA signatures (TR-03110-3 A.7.4.1: "ECDSA with plain signature format") ---


def plain_sign(private_key, message, hash_cls):
    """R || S, each left-padded to the byte length of the group order."""
    der = private_key.sign(message, ec.ECDSA(hash_cls()))
    r, s = utils.decode_dss_signature(der)
    size = (private_key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def plain_verify(public_key, signature, message, hash_cls):
    size = (public_key.curve.key_size + 7) // 8
    if len(signature) != 2 * size:
        return False
    r = int.from_bytes(signature[:size], "big")
    s = int.from_bytes(signature[size:], "big")
    try:
        public_key.verify(utils.encode_dss_signature(r, s), message, ec.ECDSA(hash_cls()))
        return True
    except InvalidSignature:
        return False


# --- EF.CVCA (TR-03110-3 A.7.2.4) ---


def parse_ef_cvca(data):
    """The CARs of EF.CVCA: at most two DOs 42, most recent first, then 00 padding to 36 bytes."""
    if len(data) != EF_CVCA_SIZE:
        raise Failure(f"EF.CVCA: {len(data)} bytes, the file is fixed at {EF_CVCA_SIZE} bytes "
                      f"(TR-03110-3 A.7.2.4)")
    cars, pos = [], 0
    while pos < len(data) and data[pos] != 0x00:
        if data[pos] != 0x42:
            raise Failure(f"EF.CVCA: expected a CAR data object (tag 42) at offset {pos}, got "
                          f"{data[pos]:02X}")
        if pos + 2 > len(data) or pos + 2 + data[pos + 1] > len(data):
            raise Failure(f"EF.CVCA: CAR data object at offset {pos} runs past the file")
        length = data[pos + 1]
        if not 1 <= length <= 16:
            raise Failure(f"EF.CVCA: CAR of {length} bytes (D.2: 1..16)")
        car = data[pos + 2:pos + 2 + length]
        if any(b < 0x20 or 0x7F <= b <= 0x9F for b in car):
            raise Failure(f"EF.CVCA: CAR {car.hex()} is not an ISO 8859-1 character string")
        cars.append(car.decode("latin-1"))
        pos += 2 + length
    if len(cars) > 2:
        raise Failure(f"EF.CVCA: {len(cars)} CARs, at most two are allowed")
    if any(data[pos:]):
        raise Failure(f"EF.CVCA: padding after the CARs is not all 00: {data[pos:].hex()}")
    return cars


# --- CV certificates (TR-03110-3 C.1, D.2, D.3.3) ---


class CvCert:
    def __init__(self, raw, name):
        self.name, self.raw = name, raw
        tag, value, end = pc.der_read(raw)
        if tag != 0x7F21 or end != len(raw):
            raise Failure(f"{name}: not one CV certificate (7F21)")
        parts = pc.der_children(value)
        if [t for t, _, _ in parts] != [0x7F4E, 0x5F37]:
            raise Failure(f"{name}: 7F21 does not hold 7F4E body + 5F37 signature")
        self.content = value  # what PSO:Verify Certificate sends (B.14.5)
        self.body_raw, self.signature = parts[0][2], parts[1][1]
        fields = {t: v for t, v, _ in pc.der_children(parts[0][1])}
        for t in (0x5F29, 0x42, 0x7F49, 0x5F20, 0x7F4C, 0x5F25, 0x5F24):
            if t not in fields:
                raise Failure(f"{name}: certificate body lacks DO {t:X}")
        self.car, self.chr = fields[0x42], fields[0x5F20]
        key = {t: v for t, v, _ in pc.der_children(fields[0x7F49])}
        self.key_oid = key.get(0x06, b"")
        self.point = key.get(0x86)
        self.domain = {t: key[t] for t in (0x81, 0x82, 0x83, 0x84, 0x85) if t in key}
        if not self.key_oid.startswith(ID_TA_ECDSA) or len(self.key_oid) != len(ID_TA_ECDSA) + 1:
            raise Failure(f"{name}: public key OID {self.key_oid.hex()} is not id-TA-ECDSA-*")
        self.hash = TA_ECDSA_HASHES.get(self.key_oid[-1])
        if self.hash is None or self.point is None:
            raise Failure(f"{name}: unsupported TA algorithm or no public point (86)")

    def label(self):
        return f"{self.name} {self.chr.decode('latin-1')}"


def curve_of_cvca(cvca):
    """The standardized parameter id whose curve the CVCA's explicit domain parameters are."""
    d = cvca.domain
    if len(d) != 5:
        raise Failure(f"{cvca.name}: CVCA certificate without explicit domain parameters 81..85")
    for pid, curve in pc.CURVES.items():
        if (int.from_bytes(d[0x81], "big") == curve.p and int.from_bytes(d[0x82], "big") == curve.a
                and int.from_bytes(d[0x83], "big") == curve.b and d[0x84] == curve.encode(curve.g)
                and int.from_bytes(d[0x85], "big") == curve.n and pid in CRYPTO_CURVES):
            return pid
    raise Failure(f"{cvca.name}: domain parameters are no curve this terminal knows")


def cv_public_key(point, pid):
    return ec.EllipticCurvePublicKey.from_encoded_point(CRYPTO_CURVES[pid](), point)


def load_cv_pki(cv_dir):
    """DV and IS certificates, the IS private key, and (if cvca.cvcert is there) a local check
    of the chain CVCA -> DV -> IS."""
    def read(name):
        with open(os.path.join(cv_dir, name), "rb") as f:
            return f.read()

    dv = CvCert(read("dv.cvcert"), "DV")
    is_cert = CvCert(read("is.cvcert"), "IS")
    key = serialization.load_pem_private_key(read("is.key"), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise Failure("is.key: not an EC private key")
    own_point = key.public_key().public_bytes(serialization.Encoding.X962,
                                              serialization.PublicFormat.UncompressedPoint)
    if own_point != is_cert.point:
        raise Failure("is.key does not belong to the public key of is.cvcert")
    if is_cert.car != dv.chr:
        raise Failure(f"IS CAR {is_cert.car!r} is not the DV CHR {dv.chr!r}")
    info = {"dv_chr": dv.chr.decode("latin-1"), "dv_car": dv.car.decode("latin-1"),
            "is_chr": is_cert.chr.decode("latin-1"), "is_algorithm": is_cert.key_oid.hex().upper()}
    cvca_path = os.path.join(cv_dir, "cvca.cvcert")
    if os.path.exists(cvca_path):
        cvca = CvCert(read("cvca.cvcert"), "CVCA")
        pid = curve_of_cvca(cvca)
        if dv.car != cvca.chr:
            raise Failure(f"DV CAR {dv.car!r} is not the CVCA CHR {cvca.chr!r}")
        if not plain_verify(cv_public_key(cvca.point, pid), dv.signature, dv.body_raw, cvca.hash):
            raise Failure("DV certificate signature does not verify with the CVCA key")
        if not plain_verify(cv_public_key(dv.point, pid), is_cert.signature, is_cert.body_raw,
                            dv.hash):
            raise Failure("IS certificate signature does not verify with the DV key")
        info["chain_verified_locally"] = True
    return dv, is_cert, key, info


# --- DG14 SecurityInfos (TR-03110-3 A.1.1.2, A.1.1.3, A.2.1) ---


def curve_of_algorithm(alg, what):
    """The standardized parameter id of an AlgorithmIdentifier: standardizedDomainParameters +
    INTEGER, or id-ecPublicKey + explicit ECParameters (A.2.1.1, A.2.1.2)."""
    fields = pc.der_children(alg)
    oid = pc.der_expect(fields[0], 0x06, f"{what} algorithm")
    if oid == STANDARDIZED_DOMAIN_PARAMETERS:
        pid = int.from_bytes(pc.der_expect(fields[1], 0x02, f"{what} parameter id"), "big")
        if pid not in pc.CURVES:
            raise Failure(f"{what}: standardized domain parameters {pid} not supported")
        return pid, "standardized"
    if oid != ID_EC_PUBLIC_KEY:
        raise Failure(f"{what}: algorithm {oid.hex()} is neither id-ecPublicKey nor "
                      f"standardizedDomainParameters")
    if len(fields) < 2 or fields[1][0] != 0x30:
        raise Failure(f"{what}: id-ecPublicKey without explicit ECParameters (named curves and "
                      f"implicit parameters MUST NOT be used, TR-03110-3 A.2.1.2)")
    p = pc.der_children(fields[1][1])
    field_id = pc.der_children(pc.der_expect(p[1], 0x30, f"{what} fieldID"))
    if pc.der_expect(field_id[0], 0x06, "fieldType") != ID_PRIME_FIELD:
        raise Failure(f"{what}: not a prime field")
    prime = int.from_bytes(pc.der_expect(field_id[1], 0x02, "prime"), "big")
    ab = pc.der_children(pc.der_expect(p[2], 0x30, f"{what} curve"))
    a = int.from_bytes(pc.der_expect(ab[0], 0x04, "a"), "big")
    b = int.from_bytes(pc.der_expect(ab[1], 0x04, "b"), "big")
    base = pc.der_expect(p[3], 0x04, "base")
    order = int.from_bytes(pc.der_expect(p[4], 0x02, "order"), "big")
    for pid, curve in pc.CURVES.items():
        if (curve.p, curve.a, curve.b, curve.n) == (prime, a, b, order):
            if curve.decode(base, f"{what} base point") != curve.g:
                raise Failure(f"{what}: base point differs from {curve.name}'s")
            return pid, "explicit"
    raise Failure(f"{what}: explicit domain parameters of no curve this terminal knows")


def parse_dg14(dg14):
    tag, body, _ = pc.der_read(dg14)
    if tag != 0x6E:
        raise Failure(f"DG14: expected tag 6E, got {tag:02X}")
    tag, body, _ = pc.der_read(body)
    if tag != 0x31:
        raise Failure(f"DG14: expected SecurityInfos SET, got {tag:02X}")
    ca_infos, ca_keys, ta_infos = [], [], []
    for item in pc.der_children(body):
        fields = pc.der_children(item[1]) if item[0] == 0x30 else []
        if len(fields) < 2 or fields[0][0] != 0x06:
            continue
        oid = fields[0][1]
        if oid.startswith(ID_CA_ECDH) and len(oid) == len(ID_CA_ECDH) + 1:
            key_id = None
            if len(fields) > 2:
                key_id = int.from_bytes(pc.der_expect(fields[2], 0x02, "CA keyId"), "big")
            ca_infos.append({"oid": oid, "version": int.from_bytes(fields[1][1], "big"),
                             "key_id": key_id})
        elif oid == ID_PK_ECDH:
            spki = pc.der_children(pc.der_expect(fields[1], 0x30, "SubjectPublicKeyInfo"))
            pid, form = curve_of_algorithm(pc.der_expect(spki[0], 0x30, "AlgorithmIdentifier"),
                                           "ChipAuthenticationPublicKeyInfo")
            bits = pc.der_expect(spki[1], 0x03, "subjectPublicKey")
            if not bits or bits[0] != 0:
                raise Failure("ChipAuthenticationPublicKeyInfo: BIT STRING with unused bits")
            key_id = None
            if len(fields) > 2:
                key_id = int.from_bytes(pc.der_expect(fields[2], 0x02, "PK keyId"), "big")
            point = pc.CURVES[pid].decode(bits[1:], "PK_PICC")
            ca_keys.append({"key_id": key_id, "parameter_id": pid, "parameters": form,
                            "point": point})
        elif oid == ID_TA:
            ef_cvca = None
            if len(fields) > 2:
                fid = pc.der_children(pc.der_expect(fields[2], 0x30, "efCVCA"))
                ef_cvca = {"fid": pc.der_expect(fid[0], 0x04, "fid"),
                           "sfid": pc.der_expect(fid[1], 0x04, "sfid") if len(fid) > 1 else None}
            ta_infos.append({"version": int.from_bytes(fields[1][1], "big"), "ef_cvca": ef_cvca})
    return ca_infos, ca_keys, ta_infos


def choose_ca(ca_infos, ca_keys):
    infos = [i for i in ca_infos if i["version"] == 1 and i["oid"][-1] in CA_KEY_LENGTHS]
    if not infos:
        found = [(i["oid"].hex(), i["version"]) for i in ca_infos]
        raise Failure(f"DG14: no ChipAuthenticationInfo id-CA-ECDH-AES-* version 1 ({found})")
    infos.sort(key=lambda i: i["oid"][-1])  # -128 first
    info = infos[0]
    if info["key_id"] is None:
        keys = ca_keys
    else:
        keys = [k for k in ca_keys if k["key_id"] == info["key_id"]]
    if len(keys) != 1:
        raise Failure(f"DG14: {len(keys)} ChipAuthenticationPublicKeyInfo for keyId "
                      f"{info['key_id']} (expected exactly one)")
    return info, keys[0]


# --- secure messaging that reports (instead of rejecting) an unprotected status ---


class Channel(pc.SecureChannel):
    def __init__(self, transmit, ks_enc, ks_mac, name):
        super().__init__(transmit, ks_enc, ks_mac)
        self.name = name
        self.last_protected = True

    def _response(self, rdata, sw):
        if not rdata:
            self.last_protected = False
            return b"", sw
        self.last_protected = True
        return super()._response(rdata, sw)

    def send(self, ins, p1, p2, data=b"", le=None, cla=0x00):
        if len(data) > 0xDF:
            raise Failure(f"command data of {len(data)} bytes is too long for this terminal's "
                          f"short SM APDUs")
        return self.command(cla, ins, p1, p2, data, le)

    def sw_text(self, sw):
        return f"{sw:04X}" if self.last_protected else f"{sw:04X} (unprotected)"


def must(channel, what, result):
    data, sw = result
    if not channel.last_protected:
        raise Failure(f"{what}: the chip answered {sw:04X} without secure messaging")
    if sw != 0x9000:
        raise Failure(f"{what}: the chip answered {sw:04X}")
    return data


def read_binary(channel, what, p1, p2, le):
    """READ BINARY under SM; 6282 (end of file before Le bytes, ISO 7816-4) is a normal end."""
    data, sw = channel.send(0xB0, p1, p2, le=le)
    if not channel.last_protected or sw not in (0x9000, 0x6282):
        raise Failure(f"READ BINARY {what}: the chip answered {channel.sw_text(sw)}")
    return data


def read_binary_odd(channel, what, offset, le):
    """READ BINARY B1 of the current EF (P1-P2 0000) with the offset in DO 54, the data coming
    back in DO 53 (ISO/IEC 7816-4 11.3.3): for offsets beyond 7FFF, which B0 cannot carry."""
    data, sw = channel.send(0xB1, 0, 0, data=pc.tlv(0x54, offset.to_bytes(3, "big")), le=le)
    if not channel.last_protected or sw not in (0x9000, 0x6282):
        raise Failure(f"READ BINARY {what}: the chip answered {channel.sw_text(sw)}")
    tag, value, _ = pc.der_read(data)
    if tag != 0x53:
        raise Failure(f"READ BINARY {what}: DO 53 expected, got 0x{tag:02X}")
    return value


def read_file_sfi(channel, sfi, what):
    def chunk(offset):
        if offset is None:
            return read_binary(channel, what, 0x80 | sfi, 0, CHUNK)
        if offset > 0x7FFF:
            return read_binary_odd(channel, f"{what} at {offset}", offset, CHUNK)
        return read_binary(channel, f"{what} at {offset}", offset >> 8, offset & 0xFF, CHUNK)

    return pc.read_whole(chunk, what)


# --- the terminal ---


def x_coordinate(curve, point):
    """Comp() for ECDH: the x-coordinate, ceil(log256 p) octets (TR-03110-3 A.2.2.3)."""
    return point[0].to_bytes(curve.size, "big")


class Terminal:
    def __init__(self, card, can, binding, cv_dir):
        self.card, self.can, self.binding = card, can, binding
        self.dv, self.is_cert, self.is_key, self.pki = load_cv_pki(cv_dir)
        self.report = {"id_picc_binding": binding, "checks": [], "negative": {},
                       "cv_pki": self.pki}

    def check(self, name):
        self.report["checks"].append(name)

    # 1. PACE
    def pace(self):
        session = pc.pace_establish(self.card, self.can.encode("ascii"))
        info, curve = session.info, session.curve
        self.pace_curve, self.pk_picc_pace = curve, session.pk_eph_ic
        self.report["pace"] = {"protocol": info["oid"].hex().upper(),
                               "mapping": pc.MAPPINGS[info["oid"][-2]],
                               "parameter_id": info["parameter_id"], "curve": curve.name}
        self.check("pace_t_ic_verified")
        self.sm = Channel(self.card.transmit, session.pace.ks_enc, session.pace.ks_mac, "PACE")
        must(self.sm, "SELECT eMRTD application",
             self.sm.send(0xA4, 0x04, 0x0C, LDS1_AID))
        self.check("select_lds1")

    # 2. EF.CVCA
    def read_ef_cvca(self, location=None):
        if location is None or location.get("sfid"):
            sfi = location["sfid"][0] if location else SFI_CVCA
            data = read_binary(self.sm, "EF.CVCA", 0x80 | sfi, 0, 0)
        else:
            must(self.sm, "SELECT EF.CVCA",
                 self.sm.send(0xA4, 0x02, 0x0C, location["fid"]))
            data = read_binary(self.sm, "EF.CVCA", 0, 0, 0)
        self.ef_cvca_raw = data
        cars = parse_ef_cvca(data)
        self.report["ef_cvca_cars"] = cars
        self.report["ef_cvca_hex"] = data.hex().upper()
        self.check("ef_cvca_parsed")
        car = self.dv.car.decode("latin-1")
        if car not in cars:
            raise Failure(f"EF.CVCA lists {cars}, not the DV certificate's CAR {car}")
        self.check("ef_cvca_lists_dv_car")

    # 3. DG14
    def read_dg14(self):
        dg14 = read_file_sfi(self.sm, SFI_DG14, "DG14")
        ca_infos, ca_keys, ta_infos = parse_dg14(dg14)
        self.ca_info, self.ca_key = choose_ca(ca_infos, ca_keys)
        ta_v1 = [t for t in ta_infos if t["version"] == 1]
        if not ta_v1:
            raise Failure(f"DG14: no TerminalAuthenticationInfo (id-TA) version 1 "
                          f"({len(ta_infos)} of other versions)")
        self.report["dg14"] = {
            "bytes": len(dg14), "ca_protocol": self.ca_info["oid"].hex().upper(),
            "ca_key_id": self.ca_info["key_id"], "ca_parameter_id": self.ca_key["parameter_id"],
            "ca_parameters": self.ca_key["parameters"], "ta_version": 1,
            "ef_cvca_location": ta_v1[0]["ef_cvca"] and {
                k: v.hex().upper() for k, v in ta_v1[0]["ef_cvca"].items() if v}}
        self.check("dg14_ca_info")
        self.check("dg14_ta_info")
        location = ta_v1[0]["ef_cvca"]
        default = location is None or (location["fid"] == FID_CVCA.to_bytes(2, "big")
                                       and location["sfid"] in (None, bytes([SFI_CVCA])))
        if not default:
            self.read_ef_cvca(location)  # A.7.2.4: efCVCA overrides the default identifiers

    # 4. Chip Authentication version 1
    def chip_authentication(self):
        curve = pc.CURVES[self.ca_key["parameter_id"]]
        oid, key_id = self.ca_info["oid"], self.ca_info["key_id"]
        key_len = CA_KEY_LENGTHS[oid[-1]]
        sk = secrets.randbelow(curve.n - 1) + 1
        pk = curve.mul(sk, curve.g)
        mse = pc.tlv(0x80, oid) + (pc.tlv(0x84, unsigned(key_id)) if key_id is not None else b"")
        must(self.sm, "MSE:Set AT (Chip Authentication)", self.sm.send(0x22, 0x41, 0xA4, mse))
        answer = must(self.sm, "GENERAL AUTHENTICATE (Chip Authentication)",
                      self.sm.send(0x86, 0, 0, pc.tlv(0x7C, pc.tlv(0x80, curve.encode(pk))), le=0))
        if answer != b"\x7C\x00":
            raise Failure(f"GENERAL AUTHENTICATE (CA v1): expected the answer 7C 00 (B.2: no "
                          f"protocol response data in version 1), got {answer.hex()}")
        shared = curve.mul(sk, self.ca_key["point"])
        if shared is None:
            raise Failure("CA: shared point is the point at infinity")
        k = x_coordinate(curve, shared)
        # F.5: the GA answer was under the old keys; new keys, SSC = 0, from here on.
        self.sm = Channel(self.card.transmit, pc.kdf(k, 1, key_len), pc.kdf(k, 2, key_len), "CA")
        self.ca_curve, self.pk_pcd_ca = curve, pk
        self.report["ca"] = {"protocol": oid.hex().upper(), "curve": curve.name,
                             "answer": answer.hex().upper()}
        self.check("ca_general_authenticate")

    # 5. Terminal Authentication version 1
    def id_picc(self):
        if self.binding == "static":
            return self.can.encode("ascii")
        return x_coordinate(self.pace_curve, self.pk_picc_pace)

    def ta_message(self, r_picc, with_comp=True):
        msg = self.id_picc() + r_picc
        if with_comp:
            msg += x_coordinate(self.ca_curve, self.pk_pcd_ca)
        return msg

    def terminal_authentication(self, with_comp=True):
        """Runs B.3 once; returns (step, status text, sw, message) of the first non-9000 answer
        or of EXTERNAL AUTHENTICATE."""
        sm = self.sm
        for cert in (self.dv, self.is_cert):
            _, sw = sm.send(0x22, 0x81, 0xB6, pc.tlv(0x83, cert.car))
            if sw != 0x9000 or not sm.last_protected:
                return f"MSE:Set DST ({cert.label()})", sm.sw_text(sw), sw, None
            _, sw = sm.send(0x2A, 0x00, 0xBE, cert.content)
            if sw != 0x9000 or not sm.last_protected:
                return f"PSO:Verify Certificate ({cert.label()})", sm.sw_text(sw), sw, None
        _, sw = sm.send(0x22, 0x81, 0xA4, pc.tlv(0x83, self.is_cert.chr))
        if sw != 0x9000 or not sm.last_protected:
            return "MSE:Set AT (Terminal Authentication)", sm.sw_text(sw), sw, None
        r_picc, sw = sm.send(0x84, 0x00, 0x00, le=8)
        if sw != 0x9000 or not sm.last_protected:
            return "GET CHALLENGE", sm.sw_text(sw), sw, None
        if len(r_picc) != 8:
            raise Failure(f"GET CHALLENGE: {len(r_picc)} bytes, expected 8")
        message = self.ta_message(r_picc, with_comp)
        signature = plain_sign(self.is_key, message, self.is_cert.hash)
        if not plain_verify(self.is_key.public_key(), signature, message, self.is_cert.hash):
            raise Failure("the terminal's own signature does not verify")
        _, sw = sm.send(0x82, 0x00, 0x00, signature)
        return "EXTERNAL AUTHENTICATE", sm.sw_text(sw), sw, message

    # 7. negative checks and 6. DG3
    def dg3_refused(self, name):
        _, sw = self.sm.send(0xB0, 0x80 | SFI_DG3, 0, le=CHUNK)
        ok = sw == 0x6982 and self.sm.last_protected
        self.report["negative"][name] = {"sw": self.sm.sw_text(sw), "expected": "6982",
                                         "passed": ok}
        if ok:
            self.check(name)
        return ok

    def read_dg3(self):
        dg3 = read_file_sfi(self.sm, SFI_DG3, "DG3")
        if dg3[0] != 0x63:
            raise Failure(f"DG3: starts with tag {dg3[0]:02X}, not 63")
        tlvs = ber_parse(dg3)
        self.report["dg3_bytes"] = len(dg3)
        self.report["dg3_tlvs"] = tlvs
        self.check("dg3_read_and_parsed")

    def run(self):
        self.pace()
        self.read_ef_cvca()
        self.read_dg14()
        self.chip_authentication()
        negative = self.report["negative"]
        passed = self.dg3_refused("dg3_refused_before_ta")
        if self.sm.last_protected:
            self.check("ca_session_keys_verified")  # that answer's MAC verified under the CA keys

        step, sw_text, sw, _ = self.terminal_authentication(with_comp=False)
        ok = step == "EXTERNAL AUTHENTICATE" and sw_text == "6300"
        negative["ta_without_comp_refused"] = {"step": step, "sw": sw_text, "expected":
                                               "EXTERNAL AUTHENTICATE 6300", "passed": ok}
        passed &= ok
        if ok:
            self.check("ta_without_comp_refused")

        step, sw_text, sw, message = self.terminal_authentication(with_comp=True)
        self.report["ta"] = {"step": step, "sw": sw_text}
        if step != "EXTERNAL AUTHENTICATE" or sw_text != "9000":
            self.report["ta_accepted"] = False
            if message is not None:
                self.report["ta_refused_message_hex"] = message.hex().upper()
            self.dg3_refused("dg3_refused_after_refused_ta")
            raise Failure(f"Terminal Authentication ({self.binding} binding) refused: {step} "
                          f"answered {sw_text}")
        self.report["ta_accepted"] = True
        self.report["ta_message_hex"] = message.hex().upper()
        self.check("ta_accepted")

        self.read_dg3()

        step, sw_text, sw, _ = self.terminal_authentication(with_comp=True)
        ok = not (step == "EXTERNAL AUTHENTICATE" and sw_text == "9000")
        negative["second_ta_refused"] = {"step": step, "sw": sw_text, "expected":
                                         "any non-9000 status", "passed": ok}
        passed &= ok
        if ok:
            self.check("second_ta_refused")
        if not passed:
            failed = [k for k, v in negative.items() if not v["passed"]]
            raise Failure(f"negative check(s) failed: {failed}")


# --- self-test ---


def self_test():
    checks = []

    def expect(name, condition, detail):
        if not condition:
            raise Failure(f"self-test {name}: {detail}")
        checks.append(name)

    point = bytes.fromhex(WE_TERMINAL_POINT)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.BrainpoolP512R1(), point)
    bp256 = pc.CURVES[13]
    pk_picc = bp256.decode(bytes.fromhex(WE_PK_PICC_PACE), "worked example PK_PICC")
    pk_pcd = bp256.decode(bytes.fromhex(WE_PK_PCD_CA), "worked example PK_PCD")
    id_picc = x_coordinate(bp256, pk_picc)
    comp = x_coordinate(bp256, pk_pcd)
    r_picc = bytes.fromhex(WE_R_PICC)
    signature = bytes.fromhex(WE_SIGNATURE)
    expect("we_sizes", len(id_picc) == 32 and len(comp) == 32 and len(signature) == 128,
           "ID_PICC / Comp / signature sizes")
    expect("we_ta_signature_verifies",
           plain_verify(key, signature, id_picc + r_picc + comp, hashes.SHA512),
           f"s_PCD does not verify with {WE_TERMINAL_CHR} over ID_PICC || r_PICC || Comp(PK_PCD)")
    expect("we_ta_signature_without_comp_fails",
           not plain_verify(key, signature, id_picc + r_picc, hashes.SHA512),
           "s_PCD verifies over ID_PICC || r_PICC alone")
    expect("we_ta_signature_other_challenge_fails",
           not plain_verify(key, signature, id_picc + bytes(8) + comp, hashes.SHA512),
           "s_PCD verifies with another r_PICC")
    flipped = signature[:-1] + bytes([signature[-1] ^ 1])
    expect("we_ta_flipped_signature_fails",
           not plain_verify(key, flipped, id_picc + r_picc + comp, hashes.SHA512),
           "a modified s_PCD verifies")

    p256 = ec.generate_private_key(ec.SECP256R1())
    msg = secrets.token_bytes(72)
    sig = plain_sign(p256, msg, hashes.SHA256)
    expect("plain_sign_roundtrip", len(sig) == 64 and plain_verify(p256.public_key(), sig, msg,
                                                                   hashes.SHA256),
           "R || S of a fresh P-256 signature does not verify")

    one = pc.tlv(0x42, b"UTCVCA00001").ljust(36, b"\x00")
    expect("ef_cvca_one_car", parse_ef_cvca(one) == ["UTCVCA00001"], "one CAR")
    two = (pc.tlv(0x42, b"DECVCAEPASS00102") + pc.tlv(0x42, b"DECVCA00001")).ljust(36, b"\x00")
    expect("ef_cvca_two_cars", parse_ef_cvca(two) == ["DECVCAEPASS00102", "DECVCA00001"],
           "two CARs")
    for name, bad in (("ef_cvca_short_rejected", one[:13]),
                      ("ef_cvca_bad_padding_rejected", one[:35] + b"\x01"),
                      ("ef_cvca_other_tag_rejected", b"\x43" + one[1:])):
        try:
            parse_ef_cvca(bad)
            expect(name, False, "accepted")
        except Failure as e:
            expect(name, "EF.CVCA" in str(e), str(e))

    expect("ber_parse", ber_parse(bytes.fromhex("6308 7F6105 A103 800101")) == 4, "TLV count")
    try:
        ber_parse(bytes.fromhex("630A7F6105A103800101"))
        expect("ber_truncated_rejected", False, "accepted")
    except Failure:
        checks.append("ber_truncated_rejected")

    sys.modules.setdefault("pace_cam_terminal", pc)
    from icao_worked_examples import self_test as icao_self_test

    icao = icao_self_test()
    return {"self_test": "passed", "checks": checks, "icao_pace_checks": icao["checks"]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--self-test", action="store_true", help="check the worked examples")
    ap.add_argument("--reader", default="Virtual PCD 00 00", help="PC/SC reader name (or prefix)")
    ap.add_argument("--can", help="Card Access Number (PACE password reference 2)")
    ap.add_argument("--cv-dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "..", "..", "fixtures", "eac"),
                    help="directory with dv.cvcert, is.cvcert, is.key (and cvca.cvcert)")
    ap.add_argument("--binding", choices=("dynamic", "static"), default="dynamic",
                    help="ID_PICC: Comp(PK_PICC of PACE) (dynamic) or the CAN (static)")
    args = ap.parse_args(argv)
    started = time.monotonic()
    terminal = None
    try:
        if args.self_test:
            out = self_test()
        else:
            if not args.can or not args.can.isdigit():
                raise EnvironmentError("--can with the card's digits is required")
            card = pc.Card(args.reader)
            terminal = Terminal(card, args.can, args.binding, args.cv_dir)
            terminal.run()
            out = terminal.report
            out["apdus"] = card.apdus
        out["elapsed_ms"] = round((time.monotonic() - started) * 1000)
        out["ok"] = True
        print(json.dumps(out))
        return 0
    except Failure as e:
        out = dict(terminal.report) if terminal else {}
        if terminal:
            out["apdus"] = terminal.card.apdus
        out.update({"ok": False, "error": str(e),
                    "elapsed_ms": round((time.monotonic() - started) * 1000)})
        print(json.dumps(out))
        return 1
    except Exception as e:  # reader missing, PC/SC errors, unreadable files
        print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
        return 2


if __name__ == "__main__":
    sys.exit(main())

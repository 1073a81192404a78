#!/usr/bin/python3
"""An independent PACE terminal (ECDH Generic Mapping and Chip Authentication Mapping).

Written from ICAO Doc 9303-11 (8th ed.) clause 4.4 (PACE), 4.4.3.3.1 (Generic Mapping),
4.4.3.5 (Chip Authentication Mapping), 9.7 (key derivation), 9.8 (secure messaging) and
BSI TR-03110, without the dactyl sources, so that dactyl's chip is checked by code that does
not share its author's reading of the standard. Elliptic-curve arithmetic is done by hand with
Python integers; AES and AES-CMAC come from the `cryptography` package; the card is reached
through pyscard (PC/SC).

  pace_cam_terminal.py --self-test            check the ICAO App. G.1 / App. I worked examples
  pace_cam_terminal.py --reader R --can CAN   PACE (+ CAM) with the card, read EF.CardSecurity

Prints one JSON line; exit 0 only when every check passed (for CAM: PK_map,IC = CA_IC * PK_IC
with PK_IC from EF.CardSecurity), 1 when a check failed, 2 for usage / environment errors.
"""

import argparse
import hashlib
import json
import secrets
import sys

from cryptography.hazmat.primitives import cmac, hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class Failure(Exception):
    """A check that failed: the session is not trusted."""


# --- elliptic curves (standardized domain parameters, BSI TR-03110-3 table "parameterId") ---


class Curve:
    def __init__(self, name, p, a, b, gx, gy, n):
        self.name, self.p, self.a, self.b, self.n = name, p, a, b, n
        self.g = (gx, gy)
        self.size = (p.bit_length() + 7) // 8

    def on_curve(self, pt):
        if pt is None:
            return False
        x, y = pt
        if not (0 <= x < self.p and 0 <= y < self.p):
            return False
        return (y * y - (x * x * x + self.a * x + self.b)) % self.p == 0

    def add(self, p1, p2):
        if p1 is None:
            return p2
        if p2 is None:
            return p1
        p = self.p
        (x1, y1), (x2, y2) = p1, p2
        if x1 == x2:
            if (y1 + y2) % p == 0:
                return None
            lam = (3 * x1 * x1 + self.a) * pow(2 * y1, -1, p) % p
        else:
            lam = (y2 - y1) * pow(x2 - x1, -1, p) % p
        x3 = (lam * lam - x1 - x2) % p
        return (x3, (lam * (x1 - x3) - y1) % p)

    def mul(self, k, pt):
        result = None
        addend = pt
        while k > 0:
            if k & 1:
                result = self.add(result, addend)
            addend = self.add(addend, addend)
            k >>= 1
        return result

    def encode(self, pt):
        x, y = pt
        return b"\x04" + x.to_bytes(self.size, "big") + y.to_bytes(self.size, "big")

    def decode(self, data, what):
        if len(data) != 1 + 2 * self.size or data[0] != 0x04:
            raise Failure(f"{what}: expected an uncompressed {self.name} point of "
                          f"{1 + 2 * self.size} bytes, got {len(data)} bytes {data[:1].hex()}..")
        pt = (int.from_bytes(data[1:1 + self.size], "big"), int.from_bytes(data[1 + self.size:], "big"))
        if not self.on_curve(pt):
            raise Failure(f"{what}: point is not on {self.name}")
        return pt


def _curve(name, p, a, b, g, n):
    g = bytes.fromhex(g)
    size = (len(g) - 1) // 2
    return Curve(name, int(p, 16), int(a, 16), int(b, 16),
                 int.from_bytes(g[1:1 + size], "big"), int.from_bytes(g[1 + size:], "big"), int(n, 16))


CURVES = {
    12: _curve("NIST P-256",
               "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
               "ffffffff00000001000000000000000000000000fffffffffffffffffffffffc",
               "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b",
               "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
               "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
               "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"),
    13: _curve("brainpoolP256r1",
               "a9fb57dba1eea9bc3e660a909d838d726e3bf623d52620282013481d1f6e5377",
               "7d5a0975fc2c3057eef67530417affe7fb8055c126dc5c6ce94a4b44f330b5d9",
               "26dc5c6ce94a4b44f330b5d9bbd77cbf958416295cf7e1ce6bccdc18ff8c07b6",
               "048bd2aeb9cb7e57cb2c4b482ffc81b7afb9de27e1e3bd23c23a4453bd9ace3262"
               "547ef835c3dac4fd97f8461a14611dc9c27745132ded8e545c1d54c72f046997",
               "a9fb57dba1eea9bc3e660a909d838d718c397aa3b561a6f7901e0e82974856a7"),
    16: _curve("brainpoolP384r1",
               "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b412b1da197fb71123"
               "acd3a729901d1a71874700133107ec53",
               "7bc382c63d8c150c3c72080ace05afa0c2bea28e4fb22787139165efba91f90f"
               "8aa5814a503ad4eb04a8c7dd22ce2826",
               "04a8c7dd22ce28268b39b55416f0447c2fb77de107dcd2a62e880ea53eeb62d5"
               "7cb4390295dbc9943ab78696fa504c11",
               "041d1c64f068cf45ffa2a63a81b7c13f6b8847a3e77ef14fe3db7fcafe0cbd10e8"
               "e826e03436d646aaef87b2e247d4af1e8abe1d7520f9c2a45cb1eb8e95cfd552"
               "62b70b29feec5864e19c054ff99129280e4646217791811142820341263c5315",
               "8cb91e82a3386d280f5d6f7e50e641df152f7109ed5456b31f166e6cac0425a7"
               "cf3ab6af6b7fc3103b883202e9046565"),
    17: _curve("brainpoolP512r1",
               "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330871"
               "7d4d9b009bc66842aecda12ae6a380e62881ff2f2d82c68528aa6056583a48f3",
               "7830a3318b603b89e2327145ac234cc594cbdd8d3df91610a83441caea9863bc"
               "2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a72bf2c7b9e7c1ac4d77fc94ca",
               "3df91610a83441caea9863bc2ded5d5aa8253aa10a2ef1c98b9ac8b57f1117a7"
               "2bf2c7b9e7c1ac4d77fc94cadc083e67984050b75ebae5dd2809bd638016f723",
               "0481aee4bdd82ed9645a21322e9c4c6a9385ed9f70b5d916c1b43b62eef4d0098e"
               "ff3b1f78e2d0d48d50d1687b93b97d5f7c6d5047406a5e688b352209bcb9f822"
               "7dde385d566332ecc0eabfa9cf7822fdf209f70024a57b1aa000c55b881f8111"
               "b2dcde494a5f485e5bca4bd88a2763aed1ca2b2fa8f0540678cd1e0f3ad80892",
               "aadd9db8dbe9c48b3fd4e6ae33c9fc07cb308db3b3c9d20ed6639cca70330870"
               "553e5c414ca92619418661197fac10471db1d381085ddaddb58796829ca90069"),
}

# --- protocol identifiers (ICAO 9303-11 clause 9.2.1 / TR-03110-3 A.1.1.1) ---

PACE_PREFIX = bytes.fromhex("04007F0007020204")  # id-PACE 0.4.0.127.0.7.2.2.4
MAPPINGS = {2: "ECDH-GM", 6: "ECDH-CAM"}  # the mappings this terminal implements
KEY_LENGTHS = {2: 16, 3: 24, 4: 32}  # -AES-CBC-CMAC-128 / -192 / -256 (1 = 3DES: not here)


# --- DER (just enough for SecurityInfos and CMS SignedData) ---


def der_read(data, pos=0):
    """Returns (tag, value, next_pos) of the TLV at pos; tags of one or two bytes."""
    if pos + 2 > len(data):
        raise Failure(f"DER: expected a TLV at offset {pos}, {len(data) - pos} bytes left")
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:
        tag = (tag << 8) | data[pos]
        pos += 1
    if pos >= len(data):
        raise Failure("DER: truncated length")
    length = data[pos]
    pos += 1
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 3 or pos + count > len(data):
            raise Failure(f"DER: unsupported length form 0x{length:02X}")
        length = int.from_bytes(data[pos:pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise Failure(f"DER: value of {length} bytes at {pos} runs past the {len(data)}-byte input")
    return tag, data[pos:pos + length], pos + length


def der_children(value):
    out, pos = [], 0
    while pos < len(value):
        tag, val, nxt = der_read(value, pos)
        out.append((tag, val, value[pos:nxt]))
        pos = nxt
    return out


def der_expect(item, tag, what):
    if item[0] != tag:
        raise Failure(f"{what}: expected tag 0x{tag:02X}, got 0x{item[0]:02X}")
    return item[1]


def tlv(tag, value):
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    tag_bytes = tag.to_bytes(2, "big") if tag > 0xFF else bytes([tag])
    return tag_bytes + length + value


def parse_pace_infos(card_access):
    """PACEInfo ::= SEQUENCE { protocol OID, version INTEGER, parameterId INTEGER OPTIONAL }."""
    tag, body, _ = der_read(card_access)
    if tag != 0x31:
        raise Failure(f"EF.CardAccess: expected SET (0x31), got 0x{tag:02X}")
    infos = []
    for item in der_children(body):
        if item[0] != 0x30:
            continue
        fields = der_children(item[1])
        if len(fields) < 2 or fields[0][0] != 0x06:
            continue
        oid = fields[0][1]
        if len(oid) != len(PACE_PREFIX) + 2 or not oid.startswith(PACE_PREFIX):
            continue
        param = None
        if len(fields) >= 3 and fields[2][0] == 0x02:
            param = int.from_bytes(fields[2][1], "big")
        infos.append({"oid": oid, "version": int.from_bytes(fields[1][1], "big"), "parameter_id": param})
    return infos


def choose_suite(infos):
    """CAM before GM; the first supported PACEInfo (version 2, standardized EC parameters)."""
    for mapping in (6, 2):
        for info in infos:
            oid = info["oid"]
            if (oid[-2] == mapping and oid[-1] in KEY_LENGTHS and info["version"] == 2
                    and info["parameter_id"] in CURVES):
                return info
    found = [(i["oid"].hex(), i["parameter_id"]) for i in infos]
    raise Failure(f"EF.CardAccess: no PACEInfo this terminal supports (ECDH-GM/CAM, AES, "
                  f"parameterId {sorted(CURVES)}); found {found}")


# --- symmetric crypto (9303-11 clause 9.7.1 KDF, 9.8 AES secure messaging) ---


def kdf(secret, counter, key_len):
    """KDF(K, c): SHA-1 for AES-128 (first 16 bytes), SHA-256 for AES-192/256."""
    digest = hashlib.sha1 if key_len == 16 else hashlib.sha256
    return digest(secret + counter.to_bytes(4, "big")).digest()[:key_len]


def aes_ecb(key, block):
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def aes_cbc(key, iv, data, decrypt):
    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))
    ctx = cipher.decryptor() if decrypt else cipher.encryptor()
    return ctx.update(data) + ctx.finalize()


def aes_cmac8(key, data):
    mac = cmac.CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()[:8]


def pad(data):
    """ISO/IEC 9797-1 padding method 2 to the AES block size."""
    data = data + b"\x80"
    return data + b"\x00" * (-len(data) % 16)


def unpad(data, what):
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80 or len(data) - len(stripped) >= 16:
        raise Failure(f"{what}: bad ISO 9797-1 method 2 padding in {data[-16:].hex()}")
    return stripped[:-1]


def auth_token(ks_mac, oid, point_bytes):
    """T = MAC(KS_mac, 7F49{06 OID, 86 point}) (9303-11 4.4.3.4, public key data object)."""
    return aes_cmac8(ks_mac, tlv(0x7F49, tlv(0x06, oid) + tlv(0x86, point_bytes)))


def decrypt_ca_data(ks_enc, encrypted, curve):
    """CA_IC from DO 8A: AES-CBC with IV = E(KS_enc, -1) (all-ones block), padding removed."""
    if not encrypted or len(encrypted) % 16:
        raise Failure(f"CAM: encrypted chip authentication data of {len(encrypted)} bytes is "
                      f"not a whole number of AES blocks")
    iv = aes_ecb(ks_enc, b"\xff" * 16)
    ca = int.from_bytes(unpad(aes_cbc(ks_enc, iv, encrypted, True), "CAM data"), "big")
    if not 0 < ca < curve.n:
        raise Failure("CAM: CA_IC is not in [1, n-1]")
    return ca


# --- the PACE computations, separated from the card I/O so --self-test can drive them ---


class Pace:
    def __init__(self, oid, curve, password_key):
        self.oid, self.curve = oid, curve
        self.key_len = KEY_LENGTHS[oid[-1]]
        self.k_pi = kdf(password_key, 3, self.key_len)

    def nonce(self, z):
        if len(z) % 16 or not z:
            raise Failure(f"GA#1: encrypted nonce of {len(z)} bytes is not whole AES blocks")
        self.s = int.from_bytes(aes_cbc(self.k_pi, b"\x00" * 16, z, True), "big")
        return self.s

    def map(self, sk_map, pk_map_ic):
        c = self.curve
        self.pk_map_ic = pk_map_ic
        h = c.mul(sk_map, pk_map_ic)
        if h is None:
            raise Failure("GM: H = SK_map * PK_map,IC is the point at infinity")
        self.g_hat = c.add(c.mul(self.s, c.g), h)
        if self.g_hat is None:
            raise Failure("GM: the mapped generator is the point at infinity")
        return h, self.g_hat

    def agree(self, sk_eph, pk_eph_pcd, pk_eph_ic):
        c = self.curve
        if pk_eph_ic == pk_eph_pcd:
            raise Failure("key agreement: the chip's ephemeral key equals the terminal's")
        shared = c.mul(sk_eph, pk_eph_ic)
        if shared is None:
            raise Failure("key agreement: shared point is the point at infinity")
        self.k = shared[0].to_bytes(c.size, "big")
        self.ks_enc = kdf(self.k, 1, self.key_len)
        self.ks_mac = kdf(self.k, 2, self.key_len)
        self.t_pcd = auth_token(self.ks_mac, self.oid, c.encode(pk_eph_ic))
        self.t_ic_expected = auth_token(self.ks_mac, self.oid, c.encode(pk_eph_pcd))
        return self.t_pcd


# --- secure messaging (9303-11 9.8, AES) ---


class SecureChannel:
    def __init__(self, transmit, ks_enc, ks_mac):
        self.transmit, self.ks_enc, self.ks_mac = transmit, ks_enc, ks_mac
        self.ssc = 0

    def _ssc(self):
        return self.ssc.to_bytes(16, "big")

    def command(self, cla, ins, p1, p2, data=b"", le=None):
        self.ssc += 1
        header = bytes([cla | 0x0C, ins, p1, p2])
        dos = b""
        if data:
            iv = aes_ecb(self.ks_enc, self._ssc())
            cryptogram = aes_cbc(self.ks_enc, iv, pad(data), False)
            # 9303-11 9.8.5: an odd INS carries BER-TLV data, in DO 85 without the indicator.
            dos += tlv(0x85, cryptogram) if ins & 1 else tlv(0x87, b"\x01" + cryptogram)
        if le is not None:
            dos += tlv(0x97, bytes([le & 0xFF]))
        mac = aes_cmac8(self.ks_mac, pad(self._ssc() + pad(header) + dos))
        body = dos + tlv(0x8E, mac)
        rdata, sw = self.transmit(header + bytes([len(body)]) + body + b"\x00")
        self.ssc += 1
        return self._response(rdata, sw)

    def _response(self, rdata, sw):
        if not rdata:
            raise Failure(f"SM: unprotected status {sw:04X} (the chip ended secure messaging)")
        dos = der_children(rdata)
        tags = [t for t, _, _ in dos]
        if tags[-1:] != [0x8E]:
            raise Failure(f"SM: response lacks a trailing DO 8E (tags {[hex(t) for t in tags]})")
        covered = b"".join(raw for t, _, raw in dos if t in (0x85, 0x87, 0x99))
        mac = dos[-1][1]
        if aes_cmac8(self.ks_mac, pad(self._ssc() + covered)) != mac:
            raise Failure("SM: response MAC does not verify")
        status = next((v for t, v, _ in dos if t == 0x99), None)
        if status is None or len(status) != 2:
            raise Failure("SM: response lacks DO 99 (status)")
        plain = b""
        enc = next((v for t, v, _ in dos if t == 0x87), None)
        if enc is not None:
            if len(enc) < 17 or enc[0] != 0x01:
                raise Failure("SM: DO 87 is not padding-indicator 01 + AES blocks")
            iv = aes_ecb(self.ks_enc, self._ssc())
            plain = unpad(aes_cbc(self.ks_enc, iv, enc[1:], True), "SM response")
        odd = next((v for t, v, _ in dos if t == 0x85), None)
        if odd is not None:
            if len(odd) < 16 or len(odd) % 16:
                raise Failure("SM: DO 85 is not whole AES blocks")
            iv = aes_ecb(self.ks_enc, self._ssc())
            plain = unpad(aes_cbc(self.ks_enc, iv, odd, True), "SM response")
        return plain, int.from_bytes(status, "big")


# --- EF.CardSecurity (CMS SignedData, RFC 5652) and PK_IC (TR-03110-3 A.1.1.2 / 9303-11 9.2.6) ---

OID_SIGNED_DATA = bytes.fromhex("2A864886F70D010702")
OID_SECURITY_OBJECT = bytes.fromhex("04007F0007030201")  # id-SecurityObject
OID_PK_ECDH = bytes.fromhex("04007F000702020102")  # id-PK-ECDH
OID_MESSAGE_DIGEST = bytes.fromhex("2A864886F70D010904")
DIGESTS = {
    bytes.fromhex("608648016503040201"): hashes.SHA256,
    bytes.fromhex("608648016503040202"): hashes.SHA384,
    bytes.fromhex("608648016503040203"): hashes.SHA512,
    bytes.fromhex("608648016503040204"): hashes.SHA224,
    bytes.fromhex("2B0E03021A"): hashes.SHA1,
}


def parse_card_security(data):
    """Returns (eContent, signer_info_fields) of the SignedData in EF.CardSecurity."""
    tag, content_info, _ = der_read(data)
    if tag != 0x30:
        raise Failure(f"EF.CardSecurity: expected ContentInfo SEQUENCE, got 0x{tag:02X}")
    fields = der_children(content_info)
    if len(fields) != 2 or der_expect(fields[0], 0x06, "contentType") != OID_SIGNED_DATA:
        raise Failure("EF.CardSecurity: contentType is not id-signedData")
    explicit = der_children(der_expect(fields[1], 0xA0, "ContentInfo content"))
    signed = der_children(der_expect(explicit[0], 0x30, "SignedData"))
    if len(signed) < 4:
        raise Failure(f"SignedData: expected at least 4 fields, got {len(signed)}")
    encap = der_children(der_expect(signed[2], 0x30, "encapContentInfo"))
    if len(encap) != 2 or der_expect(encap[0], 0x06, "eContentType") != OID_SECURITY_OBJECT:
        raise Failure("SignedData: eContentType is not id-SecurityObject")
    inner = der_children(der_expect(encap[1], 0xA0, "eContent [0]"))
    econtent = der_expect(inner[0], 0x04, "eContent OCTET STRING")
    signer_infos = der_children(der_expect(signed[-1], 0x31, "signerInfos"))
    if len(signer_infos) != 1:
        raise Failure(f"SignedData: expected one SignerInfo, got {len(signer_infos)}")
    return econtent, der_children(der_expect(signer_infos[0], 0x30, "SignerInfo"))


def ca_public_keys(security_infos, curve):
    """The ChipAuthenticationPublicKeyInfo (id-PK-ECDH) points of the SecurityInfos."""
    tag, body, _ = der_read(security_infos)
    if tag != 0x31:
        raise Failure(f"SecurityInfos: expected SET, got 0x{tag:02X}")
    keys = []
    for item in der_children(body):
        fields = der_children(item[1]) if item[0] == 0x30 else []
        if len(fields) < 2 or fields[0][:2] != (0x06, OID_PK_ECDH):
            continue
        spki = der_children(der_expect(fields[1], 0x30, "SubjectPublicKeyInfo"))
        bits = der_expect(spki[1], 0x03, "subjectPublicKey")
        if not bits or bits[0] != 0:
            raise Failure("ChipAuthenticationPublicKeyInfo: BIT STRING with unused bits")
        key_id = int.from_bytes(fields[2][1], "big") if len(fields) > 2 else None
        keys.append((key_id, curve.decode(bits[1:], "PK_IC")))
    if not keys:
        raise Failure("EF.CardSecurity: no ChipAuthenticationPublicKeyInfo (id-PK-ECDH)")
    return keys


def verify_card_security_signature(econtent, signer, cert_path):
    """ECDSA signature of the SignerInfo over its signed attributes, with the DS certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec

    with open(cert_path, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    digest_oid = der_children(der_expect(signer[2], 0x30, "digestAlgorithm"))[0][1]
    if digest_oid not in DIGESTS:
        raise Failure(f"SignerInfo: unsupported digest algorithm {digest_oid.hex()}")
    algo = DIGESTS[digest_oid]
    attrs_raw = signer[3][2]
    der_expect(signer[3], 0xA0, "signedAttrs [0]")
    message_digest = None
    for attr in der_children(signer[3][1]):
        parts = der_children(attr[1])
        if parts[0][1] == OID_MESSAGE_DIGEST:
            message_digest = der_children(parts[1][1])[0][1]
    h = hashes.Hash(algo())
    h.update(econtent)
    if message_digest is None or message_digest != h.finalize():
        raise Failure("EF.CardSecurity: messageDigest attribute does not match the eContent")
    signature = der_expect(signer[5], 0x04, "signature")
    try:
        cert.public_key().verify(signature, b"\x31" + attrs_raw[1:], ec.ECDSA(algo()))
    except Exception as e:  # InvalidSignature or a key type this check does not handle
        raise Failure(f"EF.CardSecurity: signature does not verify with {cert_path}: {e!r}")
    return cert.subject.rfc4514_string()


# --- talking to the card ---


class Card:
    def __init__(self, reader_name):
        from smartcard.System import readers

        names = [str(r) for r in readers()]
        match = [r for r in readers() if str(r) == reader_name or str(r).startswith(reader_name)]
        if not match:
            raise EnvironmentError(f"reader {reader_name!r} not found; readers: {names}")
        self.conn = match[0].createConnection()
        self.conn.connect()
        self.apdus = 0

    def transmit(self, apdu):
        self.apdus += 1
        data, sw1, sw2 = self.conn.transmit(list(apdu))
        return bytes(data), (sw1 << 8) | sw2


def mse_set_at(oid, password_ref, param):
    """MSE:Set AT for PACE: 80 protocol OID, 83 password reference (1 MRZ, 2 CAN), 84 parameterId."""
    body = tlv(0x80, oid) + tlv(0x83, bytes([password_ref])) + tlv(0x84, bytes([param]))
    return bytes([0x00, 0x22, 0xC1, 0xA4, len(body)]) + body


def ga_command(last, dos):
    """GENERAL AUTHENTICATE with dynamic authentication data 7C; command chaining (CLA 10) until the last."""
    body = tlv(0x7C, dos)
    return bytes([0x00 if last else 0x10, 0x86, 0, 0, len(body)]) + body + b"\x00"


def plain(card, apdu, what):
    data, sw = card.transmit(apdu)
    if sw != 0x9000:
        raise Failure(f"{what}: chip answered {sw:04X}")
    return data


def read_whole(read_chunk, what):
    """Reads a file whose first bytes are a DER TLV: first chunk via SFI, then by offset."""
    data = read_chunk(None)
    if len(data) < 4:
        raise Failure(f"{what}: first READ BINARY returned {len(data)} bytes")
    total = len(data)
    if data[1] & 0x80:
        n = data[1] & 0x7F
        total = 2 + n + int.from_bytes(data[2:2 + n], "big")
    else:
        total = 2 + data[1]
    while len(data) < total:
        chunk = read_chunk(len(data))
        if not chunk:
            raise Failure(f"{what}: empty READ BINARY at offset {len(data)} of {total}")
        data += chunk
    return data[:total]


class PaceSession:
    """What PACE with a card leaves: the chosen PACEInfo, the curve, the computations (keys,
    tokens), the chip's ephemeral and mapping public keys, the last GA answer and the secure
    channel under the PACE session keys."""

    def __init__(self, info, curve, pace, pk_map_ic, pk_eph_pcd, pk_eph_ic, last_answer, sm):
        self.info, self.curve, self.pace = info, curve, pace
        self.pk_map_ic, self.pk_eph_pcd, self.pk_eph_ic = pk_map_ic, pk_eph_pcd, pk_eph_ic
        self.last_answer, self.sm = last_answer, sm


def pace_establish(card, password_key, chunk=0xDF):
    """Reads EF.CardAccess, runs PACE (GM or CAM) and verifies T_IC; returns a PaceSession."""

    def read_card_access(offset):
        if offset is None:
            return plain(card, bytes.fromhex("00B09C0000"), "READ BINARY EF.CardAccess")
        return plain(card, bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, chunk]),
                     "READ BINARY EF.CardAccess")

    card_access = read_whole(read_card_access, "EF.CardAccess")
    info = choose_suite(parse_pace_infos(card_access))
    oid, param = info["oid"], info["parameter_id"]
    curve = CURVES[param]
    pace = Pace(oid, curve, password_key)
    cam = oid[-2] == 6

    plain(card, mse_set_at(oid, 2, param), "MSE:Set AT")

    def general_authenticate(last, dos, want):
        data = plain(card, ga_command(last, dos),
                     f"GENERAL AUTHENTICATE ({'/'.join(hex(t) for t in want)})")
        tag, inner, _ = der_read(data)
        if tag != 0x7C:
            raise Failure(f"GENERAL AUTHENTICATE: expected 7C, got 0x{tag:02X}")
        got = {t: v for t, v, _ in der_children(inner)}
        for t in want:
            if t not in got:
                raise Failure(f"GENERAL AUTHENTICATE: response lacks DO 0x{t:02X}")
        return got

    z = general_authenticate(False, b"", [0x80])[0x80]
    pace.nonce(z)
    sk_map = secrets.randbelow(curve.n - 1) + 1
    pk_map = curve.mul(sk_map, curve.g)
    r = general_authenticate(False, tlv(0x81, curve.encode(pk_map)), [0x82])
    pk_map_ic = curve.decode(r[0x82], "PK_map,IC")
    if pk_map_ic == pk_map:
        raise Failure("GM: the chip's mapping key equals the terminal's")
    _, g_hat = pace.map(sk_map, pk_map_ic)
    sk_eph = secrets.randbelow(curve.n - 1) + 1
    pk_eph = curve.mul(sk_eph, g_hat)
    r = general_authenticate(False, tlv(0x83, curve.encode(pk_eph)), [0x84])
    pk_eph_ic = curve.decode(r[0x84], "PK_eph,IC")
    t_pcd = pace.agree(sk_eph, pk_eph, pk_eph_ic)
    r = general_authenticate(True, tlv(0x85, t_pcd), [0x86] + ([0x8A] if cam else []))
    if r[0x86] != pace.t_ic_expected:
        raise Failure("PACE: the chip's authentication token T_IC does not verify")
    sm = SecureChannel(card.transmit, pace.ks_enc, pace.ks_mac)
    return PaceSession(info, curve, pace, pk_map_ic, pk_eph, pk_eph_ic, r, sm)


def pace_with_card(card, password_key, ds_cert):
    chunk = 0xDF
    session = pace_establish(card, password_key, chunk)
    info, curve, pace, sm = session.info, session.curve, session.pace, session.sm
    r, pk_map_ic = session.last_answer, session.pk_map_ic
    oid, param = info["oid"], info["parameter_id"]
    cam = oid[-2] == 6
    result = {"protocol": oid.hex().upper(), "mapping": MAPPINGS[oid[-2]], "parameter_id": param,
              "curve": curve.name, "t_ic_verified": True}
    ca_ic = decrypt_ca_data(pace.ks_enc, r[0x8A], curve) if cam else None

    _, sw = sm.command(0x00, 0xA4, 0x00, 0x0C, bytes.fromhex("3F00"))
    if sw != 0x9000:
        raise Failure(f"SELECT MF under SM: {sw:04X}")

    def read_card_security(offset):
        if offset is None:
            data, sw = sm.command(0x00, 0xB0, 0x9D, 0x00, le=chunk)
        else:
            data, sw = sm.command(0x00, 0xB0, offset >> 8, offset & 0xFF, le=chunk)
        if sw not in (0x9000, 0x6282):
            raise Failure(f"READ BINARY EF.CardSecurity under SM: {sw:04X}")
        return data

    if not cam:
        # EF.CardSecurity is only mandatory with CAM (or CA); a GM chip may lack it.
        _, sw = sm.command(0x00, 0xA4, 0x02, 0x0C, bytes.fromhex("011D"))
        if sw == 0x6A82:
            result["card_security"] = "absent"
            result["ssc"] = sm.ssc
            return result
        if sw != 0x9000:
            raise Failure(f"SELECT EF.CardSecurity under SM: {sw:04X}")
    card_security = read_whole(read_card_security, "EF.CardSecurity")
    econtent, signer = parse_card_security(card_security)
    result["card_security_bytes"] = len(card_security)
    result["ssc"] = sm.ssc
    if ds_cert:
        result["card_security_signer"] = verify_card_security_signature(econtent, signer, ds_cert)
        result["card_security_signature_verified"] = True
    if cam:
        keys = ca_public_keys(econtent, curve)
        matching = [kid for kid, pk_ic in keys if curve.mul(ca_ic, pk_ic) == pk_map_ic]
        if len(matching) != 1:
            raise Failure(f"CAM: PK_map,IC != CA_IC * PK_IC for the {len(keys)} key(s) in "
                          f"EF.CardSecurity")
        result["pk_ic_key_id"] = matching[0]
        result["pk_ic_verified"] = True
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--self-test", action="store_true", help="check the ICAO worked examples")
    ap.add_argument("--reader", default="Virtual PCD 00 00", help="PC/SC reader name (or prefix)")
    ap.add_argument("--can", help="Card Access Number (password reference 2)")
    ap.add_argument("--ds-cert", help="PEM Document Signer certificate: verify EF.CardSecurity")
    ap.add_argument("--require-cam", action="store_true",
                    help="fail unless the chip offers PACE-CAM (and PK_IC verifies)")
    args = ap.parse_args(argv)
    try:
        if args.self_test:
            # The examples import this file as a module: let them share its classes.
            sys.modules.setdefault("pace_cam_terminal", sys.modules[__name__])
            from icao_worked_examples import self_test

            out = self_test()
        else:
            if not args.can or not args.can.isdigit():
                raise EnvironmentError("--can with the card's digits is required")
            card = Card(args.reader)
            out = pace_with_card(card, args.can.encode("ascii"), args.ds_cert)
            if args.require_cam and not out.get("pk_ic_verified"):
                raise Failure(f"the chip offered {out['mapping']}, not CAM")
            out["apdus"] = card.apdus
        out["ok"] = True
        print(json.dumps(out))
        return 0
    except Failure as e:
        print(json.dumps({"ok": False, "error": str(e)}))
        return 1
    except Exception as e:  # reader missing, PC/SC errors, unreadable files
        print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
        return 2


if __name__ == "__main__":
    sys.exit(main())

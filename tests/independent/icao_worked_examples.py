"""Self-test of pace_cam_terminal.py against the ICAO Doc 9303-11 worked examples.

App. G.1 (PACE ECDH Generic Mapping, brainpoolP256r1, AES-128) and App. I (PACE Chip
Authentication Mapping, brainpoolP256r1, AES-128): every intermediate value the appendices give
(K_pi, nonce, mapped generator, shared secret, session keys, C-APDUs, tokens, CA_IC) is recomputed
from the appendices' private keys and chip answers and compared byte for byte.
"""

import hashlib

from pace_cam_terminal import (CURVES, MAPPINGS, Failure, Pace, choose_suite, decrypt_ca_data,
                               der_children, der_read, ga_command, mse_set_at, parse_pace_infos,
                               tlv)


def _check(name, got, want, results):
    if isinstance(got, int):
        got = format(got, "X")
        want = want.lstrip("0") or "0"
    elif isinstance(got, (bytes, bytearray)):
        got = got.hex().upper()
    results.append(name)
    if got != want:
        raise Failure(f"self-test {name}: got {got}, expected {want}")


def _r_apdu_dos(hex_rapdu):
    data = bytes.fromhex(hex_rapdu)
    if data[-2:] != b"\x90\x00":
        raise Failure("self-test: R-APDU without 9000")
    _, inner, _ = der_read(data[:-2])
    return {t: v for t, v, _ in der_children(inner)}


def _point_hex(curve, pt):
    return curve.encode(pt).hex().upper()


def self_test_g1(results):
    c = CURVES[13]
    infos = parse_pace_infos(bytes.fromhex("31143012060A04007F0007020204020202010202010D"))
    info = choose_suite(infos)
    oid = info["oid"]
    _check("G.1 PACEInfo parameterId", info["parameter_id"], "D", results)
    key = hashlib.sha1(b"T22000129364081251010318").digest()
    _check("G.1 K=SHA-1(MRZ)", key, "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD", results)
    pace = Pace(oid, c, key)
    _check("G.1 K_pi", pace.k_pi, "89DED1B26624EC1E634C1989302849DD", results)
    _check("G.1 MSE:Set AT", mse_set_at(oid, 1, 13),
           "0022C1A412800A04007F0007020204020283010184010D", results)
    _check("G.1 GA#1 C-APDU", ga_command(False, b""), "10860000027C0000", results)
    z = _r_apdu_dos("7C12801095A3A016522EE98D01E76CB6B98B42C39000")[0x80]
    _check("G.1 s", pace.nonce(z), "3F00C4D39D153F2B2A214A078D899B22", results)
    sk_map = int("7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99", 16)
    pk_map = c.mul(sk_map, c.g)
    _check("G.1 GA#2 C-APDU", ga_command(False, tlv(0x81, c.encode(pk_map))),
           "10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E"
           "544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00", results)
    pk_map_ic = c.decode(_r_apdu_dos(
        "7C43824104824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9"
        "F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C549000")[0x82], "G.1 PK_map,IC")
    h, g_hat = pace.map(sk_map, pk_map_ic)
    _check("G.1 H", _point_hex(c, h),
           "0460332EF2450B5D247EF6D3868397D398852ED6E8CAF6FFEEF6BF85CA57057FD50840CA7415BAF3E43BD4"
           "14D35AA4608B93A2CAF3A4E3EA4E82C9C13D03EB7181", results)
    _check("G.1 G~", _point_hex(c, g_hat),
           "048CED63C91426D4F0EB1435E7CB1D74A46723A0AF21C89634F65A9AE87A9265E28C879506743F8611AC33"
           "645C5B985C80B5F09A0B83407C1B6A4D857AE76FE522", results)
    sk_eph = int("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595", 16)
    pk_eph = c.mul(sk_eph, g_hat)
    _check("G.1 GA#3 C-APDU", ga_command(False, tlv(0x83, c.encode(pk_eph))),
           "10860000457C438341042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C35"
           "56F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200", results)
    pk_eph_ic = c.decode(_r_apdu_dos(
        "7C438441049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2ED"
        "DC3C265A9F018F9CB852E111B768B326904B59A0193776F0949000")[0x84], "G.1 PK_eph,IC")
    t_pcd = pace.agree(sk_eph, pk_eph, pk_eph_ic)
    _check("G.1 K", pace.k, "28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925",
           results)
    _check("G.1 KS_enc", pace.ks_enc, "F5F0E35C0D7161EE6724EE513A0D9A7F", results)
    _check("G.1 KS_mac", pace.ks_mac, "FE251C7858B356B24514B3BD5F4297D1", results)
    _check("G.1 GA#4 C-APDU", ga_command(True, tlv(0x85, t_pcd)),
           "008600000C7C0A8508C2B0BD78D94BA86600", results)
    _check("G.1 T_IC", pace.t_ic_expected,
           _r_apdu_dos("7C0A86083ABB9674BCE93C089000")[0x86].hex().upper(), results)


def self_test_i(results):
    c = CURVES[13]
    info = choose_suite(parse_pace_infos(bytes.fromhex("31143012060A04007F0007020204060202010202010D")))
    oid = info["oid"]
    _check("I PACEInfo mapping", MAPPINGS[oid[-2]], "ECDH-CAM", results)
    pace = Pace(oid, c, hashlib.sha1(b"C11T002JM496081222310314").digest())
    # App. I sends no 84; with parameterId 13 added the command is otherwise the same.
    _check("I MSE:Set AT", mse_set_at(oid, 1, 13),
           "0022C1A412800A04007F00070202040602830101" + "84010D", results)
    z = _r_apdu_dos("7C128010CB60E8E0D85B76A9BD304747C2AD42E29000")[0x80]
    _check("I s", pace.nonce(z), "658B860BC94DF6F044FCE6D5C82CF8E5", results)
    sk_map = int("5D8BB87BD74D985A4B7D4325B9F7B976FE835122773400798914AA22738135CC", 16)
    _check("I GA#2 C-APDU", ga_command(False, tlv(0x81, c.encode(c.mul(sk_map, c.g)))),
           "10860000457C438141047F1D410ADB7DDB3B84BF1030800981A9105D7457B4A3ADE002384F3086C67EDE1A"
           "B889104A27DB6D842B019020FBF3CEACB0DC627F7BDCAC29969E19D0E553C100", results)
    pk_map_ic = c.decode(_r_apdu_dos(
        "7C43824104A234236AA9B9621E8EFB73B5245C0E09D2576E5277183C1208BDD55280CAE8B304F365713A356E"
        "65A451E165ECC9AC0AC46E3771342C8FE5AEDD092685338E239000")[0x82], "I PK_map,IC")
    _, g_hat = pace.map(sk_map, pk_map_ic)
    _check("I G~.x", g_hat[0], "89F0B5EABF3BE293C75903A3986131925C9F5B515CA95AF485DC7E886F03245D",
           results)
    _check("I G~.y", g_hat[1], "44BEFB2DD3A0DBD71CB5E618971CF4747F12B79E548379A40E45963BAAF3E829",
           results)
    sk_eph = int("76ECFDAA9841C323A3F5FC5E88B88DB3EFF7E35EBF57A7E6946CB630006C2120", 16)
    pk_eph = c.mul(sk_eph, g_hat)
    _check("I GA#3 C-APDU", ga_command(False, tlv(0x83, c.encode(pk_eph))),
           "10860000457C43834104446C934084D9DAB863944F219520076C29EE3F7AE6722B11FF319EC1C7728F9554"
           "83400BFF60BF0C5929270009277DC2A515E12575010AD9BA916CF1BF86FEFC00", results)
    pk_eph_ic = c.decode(_r_apdu_dos(
        "7C4384410402AD566F3C6EC7F9324509AD50A51FA52030782A4968FCFEDF737DAEA993333111C3B9B4C22877"
        "89BD137E7F8AA882E2A3C633CCD6ECC2C63C57AD401A09C2E19000")[0x84], "I PK_eph,IC")
    t_pcd = pace.agree(sk_eph, pk_eph, pk_eph_ic)
    _check("I KS_enc", pace.ks_enc, "0A9DA4DB03BDDE39FC5202BC44B2E89E", results)
    _check("I KS_mac", pace.ks_mac, "4B1C06491ED5140CA2B537D344C6C0B1", results)
    _check("I GA#4 C-APDU", ga_command(True, tlv(0x85, t_pcd)),
           "008600000C7C0A8508E86BD06018A1CD3B00", results)
    r = _r_apdu_dos("7C3C86088596CF055C67C1A38A301EEA964DAAE372AC990E3EFDE6333353BFC89A6704D93DA8"
                    "798CF77F5B7A54BD10CBA372B42BE0B9B5F28AA8DE2F4F929000")
    _check("I T_IC", pace.t_ic_expected, r[0x86].hex().upper(), results)
    _check("I CA_IC", decrypt_ca_data(pace.ks_enc, r[0x8A], c),
           "85DC3FA93D0952BFA82F5FD189EE75BD82F11D1F0B8ED4BF5319AC9B53C426B3", results)


def self_test():
    results = []
    self_test_g1(results)
    self_test_i(results)
    return {"self_test": "passed", "checks": len(results)}

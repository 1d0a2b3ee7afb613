from greenlane.targeting.engine import reference as ref


def test_iso6346_known_container_numbers():
    # CSQU3054383 is the worked example of the standard.
    for number in ("CSQU3054383", "MSKU9070323"):
        assert ref.container_problem(number) is None, number
    assert ref.iso6346_check_digit("CSQU305438") == 3


def test_container_problems():
    assert ref.container_problem("CSQU3054384") == "check_digit"
    assert ref.container_problem("CSQX3054383") == "malformed"  # category must be U, J or Z
    assert ref.container_problem("CSQU305438") == "malformed"
    assert ref.container_problem("CSQU3054383;MSKU9070323") is None
    assert ref.container_problem("CSQU3054383;MSKU9070324") == "check_digit"
    assert ref.container_problem("CSQU3054383;") == "malformed"


def test_reference_lists():
    assert {"CN", "US", "MX", "DE"} <= ref.countries()
    assert "XX" not in ref.countries()
    assert ref.ports()["NLRTM"].csi and ref.ports()["NLRTM"].country == "NL"
    assert ref.us_ports() and all(p.startswith("US") for p in ref.us_ports())
    assert all(ref.locode_wellformed(p) for p in ref.ports())
    assert all(ref.countries().issuperset({p[:2]}) for p in ref.ports())
    assert ref.hts_wellformed("8471.30.0100") and ref.hts_wellformed("847130")
    assert not ref.hts_wellformed("84713") and not ref.hts_wellformed("8471-30")

"""Offline domain analysis: no network, no server."""

from __future__ import annotations

import pytest

from sites.helpers import inquiry
from triage.enrich import analyse_domains
from triage.enrich.core import plan
from triage.enrich.domains import cctld_country, is_disposable, is_free_mail, lookalike
from triage.hostnames import host_of, registrable


@pytest.mark.parametrize("host, reg", [
    ("message.alibaba.com.inquiry-center.top", "inquiry-center.top"),
    ("mail.acme.co.uk", "acme.co.uk"),
    ("electrosilla.com.mx", "electrosilla.com.mx"),
    ("127.0.0.1", None),
    ("localhost", None),
    ("elmax.lublin.pl", "elmax.lublin.pl"),  # a Polish regional domain: the company's, not lublin.pl
    ("www.acme.wixsite.com", "acme.wixsite.com"),
])
def test_registrable_uses_bundled_suffix_list(host, reg):
    assert registrable(host) == reg


@pytest.mark.parametrize("value, host", [
    ("Rick@BrazosGulf-Elec.com", "brazosgulf-elec.com"),
    ("https://www.acme.de:8443/about?x=1", "www.acme.de"),
    ("www.acme.de", "www.acme.de"),
    ("<a@b.example>", "b.example"),
    ("", None),
])
def test_host_of(value, host):
    assert host_of(value) == host


@pytest.mark.parametrize("host", ["gmail.com", "qq.com", "163.com", "126.com", "vip.163.com", "foxmail.com",
                                  "mail.ru", "yandex.ru", "bk.ru", "rediffmail.com", "terra.com.br", "uol.com.br",
                                  "hotmail.com.br", "yahoo.co.uk", "seznam.cz", "wp.pl", "naver.com", "hanmail.net"])
def test_free_mail(host):
    assert is_free_mail(host)


def test_business_domains_are_not_free_mail():
    assert not is_free_mail("brightline-electrical.com")
    assert not is_free_mail("elektro-barndt.de")


def test_disposable_comes_from_the_package():
    assert is_disposable("mailinator.com")
    assert not is_disposable("gmail.com")


@pytest.mark.parametrize("host, country", [
    ("acme.de", "DE"), ("acme.co.uk", "GB"), ("electrosilla.com.mx", "MX"), ("acme.com", None),
    ("hollisandvine.co", None), ("startup.io", None), ("kbmicro.com.hk", "HK"),
    # a generic-looking ending under the country's own second level is the country's
    ("ingelectric.com.co", "CO"), ("tienda.net.co", "CO"),
])
def test_cctld_country(host, country):
    assert cctld_country(host) == country


@pytest.mark.parametrize("host, brand, how", [
    ("message.aiibaba.com", "alibaba.com", "homoglyph i->l"),
    ("aiibaba.com", "alibaba.com", "homoglyph i->l"),
    ("message.alibaba.com.inquiry-center.top", "alibaba.com", "brand as subdomain"),
    ("made-in-china-member.com", "made-in-china.com", "brand plus extra words 'member'"),
    ("docusign-notify.net", "docusign.net", "brand plus extra words 'notify'"),
    ("emlratesnbd.com", "emiratesnbd.com", "homoglyph l->i"),
    ("rnaersk-line.com", "maersk.com", "homoglyph rn->m"),
    ("paypa1.com", "paypal.com", "homoglyph 1->l"),
    ("alibaba.top", "alibaba.com", "another ending"),
    ("globalsoruces.com", "globalsources.com", "letters off"),
])
def test_lookalikes(host, brand, how):
    found = lookalike(host)
    assert found and found["of"] == brand and how in found["how"]


@pytest.mark.parametrize("host", ["dhl.com", "dhl.de", "amazon.de", "alibaba.com", "brightline-electrical.com",
                                  "westmark-supply.com", "groups-electric.com", "upsilon-lighting.com",
                                  "targetlighting.com", "cosco.com", "pennantelectrical.co.uk"])
def test_not_lookalikes(host):
    assert lookalike(host) is None


def test_fake_alibaba_notice():
    d = analyse_domains(inquiry("notice@message.aIibaba.com", name="Alibaba.com"))
    assert d["registrable"] == "aiibaba.com"
    assert d["lookalike"]["of"] == "alibaba.com" and d["lookalike"]["where"] == "from"
    assert d["brand_in_display_name"] == "Alibaba.com"


def test_real_brand_display_name_is_not_a_claim():
    d = analyse_domains(inquiry("noreply@dhl.com", name="DHL Express"))
    assert d["brand"] == "DHL" and d["brand_in_display_name"] is None and d["lookalike"] is None


def test_docusign_from_a_person():
    d = analyse_domains(inquiry("dse_NA4@docusign-notify.net", name="Emily Carter via Docusign"))
    assert d["brand_in_display_name"] == "DocuSign"


def test_ordinary_surname_is_not_a_brand():
    assert analyse_domains(inquiry("k@lowell.com", name="Karen Lowes"))["brand_in_display_name"] is None


def test_domains_agree():
    d = analyse_domains(inquiry("a@acme.de", website="www.acme.de", return_path="bounce@acme.de",
                                reply_to=["a@acme.de"]))
    assert d["domains_agree"] and d["website_domain"] == "acme.de"


def test_mismatches_are_listed():
    d = analyse_domains(inquiry("a@acme.de", website="www.other-co.com", reply_to=["x@gmail.com"],
                                return_path="b@bounce.example.net"))
    assert not d["domains_agree"]
    text = " ".join(d["mismatches"])
    assert "gmail.com" in text and "example.net" in text and "other-co.com" in text


def test_return_path_of_a_mail_service_is_fine():
    d = analyse_domains(inquiry("a@acme.de", return_path="0100abc@amazonses.com"))
    assert d["domains_agree"]


def test_free_mail_sender_with_a_website_looks_up_the_website():
    d = analyse_domains(inquiry("kevin.purchasing@gmail.com", website="www.voltnest.com"))
    assert d["free_mail"] and d["domains_agree"]
    assert plan(d, "www.voltnest.com") == ("voltnest.com", "www.voltnest.com", None)


def test_free_mail_without_website_looks_nothing_up():
    d = analyse_domains(inquiry("someone@qq.com"))
    domain, host, reason = plan(d, None)
    assert domain is None and host is None and "free-mail" in reason


def test_lookalike_gets_mx_but_no_site():
    d = analyse_domains(inquiry("documentation@rnaersk-line.com", name="Maersk Customer Service"))
    domain, host, reason = plan(d, None)
    assert domain == "rnaersk-line.com" and host is None and "look-alike" in reason

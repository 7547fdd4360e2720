"""Labelled corpus of the personal-data guard: what it must report, and what it must leave alone.

`PLANTED` holds personal data in the spellings people actually write, each line with the exact
span the guard must report marked ⟦…⟧ and the kind it must report it as. A line break inside a
line stands for a wrapped paragraph or a folded YAML text. The numbers are invented but valid:
birth numbers, IBANs and Czech account numbers carry correct checksums, except where a label
(„rodné číslo“, „číslo účtu“) says what the number is and the checksum was miscopied.

`LOOKALIKES` holds text that looks like personal data and is not: citations, emergency lines,
registration numbers, dates and addresses of the web, mostly copied from our own content. The
test in test_privacy.py plants both into every kind of source file and also scans all the real
content of the repository.
"""

from __future__ import annotations

import re

# (kind, line with the span to report marked ⟦…⟧)
PLANTED: list[tuple[str, str]] = [
    # Birth numbers: with and without the slash, with spaces, a dash; women +50; since 2004 +20.
    ("birth number", "Rodné číslo klientky ⟦736028/5163⟧ je ve spisu."),
    ("birth number", "RČ: ⟦8503121231⟧, ověřeno v dokladech."),
    ("birth number", "Syn má r. č. ⟦101130 / 0422⟧ podle rodného listu."),
    ("birth number", "Matka (rč ⟦925703 4567⟧) přišla sama."),
    ("birth number", "Číslo pojištěnce ⟦686228-3010⟧ uvedla lékařka."),
    ("birth number", "Dcera narozená v roce 2015 má ⟦152405/7777⟧."),
    ("birth number", "Babička se narodila 1935, rodné číslo ⟦350101/123⟧."),
    ("birth number", "Do formuláře vyplnila r.č.⟦0571019108⟧ dítěte."),
    # Labelled as a birth number, it is one even with a checksum miscopied.
    ("birth number", "Rodné číslo: ⟦780101/1234⟧ (opsané z průkazu s chybou)."),
    # Phone numbers: spaces, none, dashes, dots, a slash, +420, (+420), 00420, abroad.
    ("phone number", "Volejte paní Novákové na ⟦603 123 456⟧ po šesté."),
    ("phone number", "Mobil ⟦603123456⟧ má jen vedoucí."),
    ("phone number", "Kontakt na otce: ⟦777-456-789⟧."),
    ("phone number", "Tel.: ⟦605.234.567⟧ (večer)."),
    ("phone number", "Číslo do práce ⟦+420 234 567 890⟧ nepatří do zápisu."),
    ("phone number", "Sousedka volala z ⟦+420734111222⟧ v noci."),
    ("phone number", "Rodina uvádí ⟦(+420) 736 222 333⟧ jako jediné spojení."),
    ("phone number", "Z ciziny volejte ⟦00420 602 987 654⟧."),
    ("phone number", "Babička má ⟦+420-721-555-666⟧ na pevné lince."),
    ("phone number", "Pište SMS na ⟦604 12 34 56⟧, hovory nebere."),
    ("phone number", "tel.⟦608987654⟧ – jen ve všední dny"),
    ("phone number", "Starší zápis ⟦608/987 654⟧ se objevil v dopise."),
    ("phone number", "Bratr ze Slovenska: ⟦+421 903 123 456⟧."),
    ("phone number", "Klient pracuje v Německu, číslo ⟦+49 30 1234 5678⟧."),
    ("phone number", "Na vizitce stálo ⟦603&nbsp;123&nbsp;457⟧ pod jménem."),
    ("phone number", "Telefon ⟦739 876\n543⟧ poslala SMS."),
    ("phone number", "Napište mu přes https://wa.me/⟦420603555777⟧ večer."),
    ("phone number", '<a href="tel:⟦+420603111222⟧">zavolejte</a> jí hned.'),
    # E-mails: plain, with spaces, obfuscated in Czech and English, HTML entities, encoded.
    ("e-mail address", "Pište na ⟦jan.novak@seznam.cz⟧ kdykoli."),
    ("e-mail address", "Adresa ⟦jan.novak (zavináč) seznam.cz⟧ je na letáku."),
    ("e-mail address", "Napsala ⟦jan[at]seznam[dot]cz⟧ do poznámky."),
    ("e-mail address", "Kontakt: ⟦petra.svobodova(at)email.cz⟧."),
    ("e-mail address", "Syn píše z ⟦novak.jiri @ gmail.com⟧ jednou týdně."),
    ("e-mail address", "E-mail ⟦marie zavináč centrum tečka cz⟧ diktovala do telefonu."),
    ("e-mail address", "Otec: ⟦karel.dvorak [zavináč] post [tečka] cz⟧."),
    ("e-mail address", "Odpověď přišla z ⟦KLIENTKA.NOVA@SEZNAM.CZ⟧ včera."),
    ("e-mail address", "Na webu: ⟦jana.nova&#64;seznam.cz⟧ (zakódovaně)."),
    ("e-mail address", "Odkaz mailto:⟦lucie.mala%40volny.cz⟧ v patičce."),
    ("e-mail address", "Píše z ⟦tomas{at}atlas{dot}cz⟧ a čeká na odpověď."),
    ("e-mail address", "Adresa ⟦eva.kralova@\nseznam.cz⟧ byla zalomená."),
    # A full name with a street address.
    ("name and address", "Klient ⟦Jan Novák, Lipová 12, Kolín⟧ přišel sám."),
    ("name and address", "Zapsáno: ⟦Marie Nováková, Na Příkopě 3/12⟧."),
    ("name and address", "Odesílatel ⟦Novák Jan, Dlouhá 15⟧ se nepodepsal."),
    ("name and address", "Rodina ⟦Petr Svoboda, Husova 1487/12, 397 01 Písek⟧ je v evidenci."),
    ("name and address", "Předáno: ⟦Jana Dvořáková-Malá, Kolín, Zahradní 8⟧."),
    ("name and address", "Dopis pro ⟦Tereza Horáková, 17. listopadu 1024⟧ se vrátil."),
    # Street addresses on their own or after a word saying where someone lives.
    ("street address", "Rodina bydlí v ulici ⟦Palackého 1487/12⟧ s babičkou."),
    ("street address", "Klientka je bytem ⟦Lipová 7, Kolín⟧ už deset let."),
    ("street address", "Trvalé bydliště: ⟦Nádražní 22⟧ v Písku."),
    ("street address", "Sejdeme se ⟦Na Příkopě 12⟧ v devět."),
    ("street address", "Adresa ⟦Husovo náměstí 2/24, 397 01 Písek⟧ patří rodině."),
    ("street address", "Bydlí ve ⟦Školní 3⟧ se sestrou."),
    ("street address", "Adresa: ⟦Komenského 1234/5, 370 01 České Budějovice⟧."),
    # Dates of birth.
    ("date of birth", "Klient ⟦nar. 12. 3. 1985⟧ přišel s matkou."),
    ("date of birth", "V žádosti je ⟦datum narození 12.03.1985⟧ i adresa."),
    ("date of birth", "Dítě ⟦narozené 1. června 2016⟧ je v péči babičky."),
    ("date of birth", "Otec (⟦narozen dne 4. 11. 1979⟧) nesouhlasí."),
    ("date of birth", "⟦Nar.: 1990-07-15⟧, svobodná, bez dětí."),
    ("date of birth", "Sestra ⟦nar. 3/5/2001⟧ bydlí jinde."),
    ("date of birth", "Syn ⟦narozen\n7. 2. 2012⟧ chodí do školy."),
    # IBAN and Czech account numbers.
    ("IBAN", "Dávky chodí na ⟦CZ65 0800 0000 1920 0014 5399⟧ každý měsíc."),
    ("IBAN", "IBAN: ⟦CZ6508000000192000145399⟧."),
    ("IBAN", "Účet na Slovensku ⟦SK31 1200 0000 1987 4263 7541⟧ patří synovi."),
    ("IBAN", "Sestra posílá peníze z ⟦DE89 3704 0044 0532 0130 00⟧."),
    ("IBAN", "Platba na ⟦CZ86 0100 0000 0023 4567 8908⟧ odešla."),
    ("IBAN", "Opsala malými písmeny ⟦cz65 0800 0000 1920 0014 5399⟧ z výpisu."),
    ("bank account", "Číslo účtu ⟦19-2000145399/0800⟧ je na výpisu."),
    ("bank account", "Nájem platí na ⟦123456789/0800⟧ každý měsíc."),
    ("bank account", "Výživné na ⟦2345678908/0100⟧ chodí pozdě."),
    ("bank account", "č. ú. ⟦12345671 / 0300⟧ patří matce."),
    ("bank account", "Splátky z účtu ⟦1999888774/2010⟧ se zastavily."),
    ("bank account", "Číslo účtu: ⟦2501234567/2010⟧ uvedla na žádosti."),
]

LOOKALIKES: list[str] = [
    # Law citations and case references, as our chapters and registry write them.
    "Podle zákona č. 108/2006 Sb., o sociálních službách, a vyhlášky č. 505/2006 Sb.",
    "zákon č. 359/1999 Sb., o sociálně-právní ochraně dětí, § 10 odst. 4",
    "§ 474 odst. 1 zákona č. 292/2013 Sb. (ZŘS) a zákon č. 89/2012 Sb., občanský zákoník",
    "školský zákon č. 561/2004 Sb. a zákon č. 110/2019 Sb., o zpracování osobních údajů",
    "usnesení Krajského soudu v Hradci Králové, spisová značka 20 Co 283/2016",
    "KS Hradec Králové 21 Co 62/2016; právní věta Sb. NS č. 35/2018",
    "zprávy veřejného ochránce práv, spisové značky 868/2015/VOP a 4267/2020/VOP",
    "čl. 8 Úmluvy, bod 3.2.1 a § 7 písm. a) bod 2",
    "Podle zákona o účetnictví č. 563/1991 Sb. a zákona o rodném čísle (§ 13 zákona č. 133/2000 Sb.).",
    # Public lines: emergency numbers, helplines, free lines.
    "Tísňová čísla – záchranná služba 155, policie 158, hasiči 150, číslo 112, městská policie 156.",
    "Linka bezpečí 116 111, Linka pomoci obětem kriminality a domácího násilí 116 006.",
    "Linka první psychické pomoci 116 123; Národní linka pro odvykání (800 350 000).",
    "Policii ČR (158) předá: kdo, kam jel, s kým a kdy měl být zpět; **Do 15 minut** volá.",
    # Registration numbers, versions, identifiers.
    "Projekt CZ.1.04/3.2.00/15.00018 a CZ.03.2.63/0.0/0.0/19_098/0015106 financovala EU.",
    "Verze 1.1 nahradila verzi 1.0; kapitola 3.2 a oddíl 3.2.1; V3.2.1.",
    "IČO 12345678, DIČ CZ12345678, PSČ 397 01, č. j. MPSV-2015/12345-221.",
    "ISBN 978-80-7367-123-4 a ISBN 80-7178-463-X; Praha: Portál, 2013.",
    "otisk: e01bbead368adbc5cad5e32243927318816b6a7c5d691f89a18365936dd048cb",
    # Web addresses, e-Sbírka and sources.
    "https://www.e-sbirka.cz/sb/2006/108#par_10 a https://www.e-sbirka.cz/sb/1999/359",
    "https://profipravo.cz/index.php?page=article&id_category=118&id_article=259045&csum=d0405137",
    "Náhled běží na <http://127.0.0.1:8000>; obrázek logo@2x.png se načte z webu.",
    '<img src="ikona-192.png" srcset="ikona@2x.png 2x" alt="">',
    # Dates of events, periods, amounts, counts.
    "Metodika vznikla 29. 4. 2015 a platila 09/2019 – 12/2022; schváleno 2026-11-30.",
    "Projekt běžel v letech 2019–2022 (2020–2022) a 2021–2022.",
    "Rozpočet 350 000 000 Kč, obec má 1 250 000 obyvatel a 120hodinový kurz.",
    "Oslava narozenin 12. 3. 2020 a narozeniny dítěte i rodičů patří do plánu.",
    "Komenský (nar. 28. 3. 1592) psal o výchově; narození dítěte s postižením.",
    # Capitalised words followed by a number that are not addresses.
    "Národní strategie 2021 a Evropská 2030; Kapitola 3 a Příloha 2.",
    "Komenského zásady platí od roku 1650; tabulka 1 a krok 2.",
    "Jan Amos Komenský, Kapitola 3 jeho Didaktiky.",
    "Krajský úřad, Oddíl 4 a Metodika 2; Praha 2 a Brno 1.",
    "Hradci Králové, spisová značka 20 Co 283/2016 a Co 62.",
    # Numbers that fail their checksum or date are not birth numbers or IBANs.
    "Neplatné číslo 736028/5164 nemá správný kontrolní součet; 991332/1234 nemá platné datum.",
    "CZ65 0800 0000 1920 0014 5398 má špatný kontrolní součet.",
    # Numbers one per line are a list, not a wrapped phone number; a thesis id in a web address.
    "Počty kontaktů po letech:\n250\n300 400",
    "Práce je na https://is.muni.cz/th/603123456/prace.pdf a www.example.cz/736028/5163.",
    # Words that sit near an at sign without being an address.
    "V navigaci stojí @metodiky; diskuse na @sluzby.",
]


def marked(line: str) -> tuple[str, int, int]:
    """The line without its ⟦…⟧ marks, and the start and end of the marked span in it."""
    match = re.fullmatch(r"(.*)⟦(.*)⟧(.*)", line, re.S)
    assert match is not None, f"no ⟦…⟧ in {line!r}"
    before, span, after = match.groups()
    return before + span + after, len(before), len(before) + len(span)

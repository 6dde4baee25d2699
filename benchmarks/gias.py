"""GIAS import at national size: a generated extract in the published shape, imported and re-imported.

The file has the 140 columns of the 2023 extract (../shared/data/SOURCES.md), every text field
quoted, Windows-1252, about 50,000 establishments (open and closed, as the national file has),
made by schools.demo's generator. Everything happens inside a transaction that is rolled back,
so the benchmark's database is left as it was.
"""

import csv
import io
import random
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Force
from benchmarks import national
from demo import schools as schools_demo
from schools.gias import apply_gias, read_gias
from schools.models import School

from .timings import seconds

HEADER = (  # noqa: SIM905 - the header as GIAS publishes it, quotes and all
    'URN","LA (code)","LA (name)","EstablishmentNumber","EstablishmentName",'
    '"TypeOfEstablishment (code)","TypeOfEstablishment (name)","EstablishmentTypeGroup (code)",'
    '"EstablishmentTypeGroup (name)","EstablishmentStatus (code)","EstablishmentStatus (name)",'
    '"ReasonEstablishmentOpened (code)","ReasonEstablishmentOpened (name)","OpenDate",'
    '"ReasonEstablishmentClosed (code)","ReasonEstablishmentClosed (name)","CloseDate",'
    '"PhaseOfEducation (code)","PhaseOfEducation (name)","StatutoryLowAge","StatutoryHighAge",'
    '"Boarders (code)","Boarders (name)","NurseryProvision (name)","OfficialSixthForm (code)",'
    '"OfficialSixthForm (name)","Gender (code)","Gender (name)","ReligiousCharacter (code)",'
    '"ReligiousCharacter (name)","ReligiousEthos (name)","Diocese (code)","Diocese (name)",'
    '"AdmissionsPolicy (code)","AdmissionsPolicy (name)","SchoolCapacity","SpecialClasses (code)",'
    '"SpecialClasses (name)","CensusDate","NumberOfPupils","NumberOfBoys","NumberOfGirls",'
    '"PercentageFSM","TrustSchoolFlag (code)","TrustSchoolFlag (name)","Trusts (code)",'
    '"Trusts (name)","SchoolSponsorFlag (name)","SchoolSponsors (name)","FederationFlag (name)",'
    '"Federations (code)","Federations (name)","UKPRN","FEHEIdentifier",'
    '"FurtherEducationType (name)","OfstedLastInsp","OfstedSpecialMeasures (code)",'
    '"OfstedSpecialMeasures (name)","LastChangedDate","Street","Locality","Address3","Town",'
    '"County (name)","Postcode","SchoolWebsite","TelephoneNum","HeadTitle (name)","HeadFirstName",'
    '"HeadLastName","HeadPreferredJobTitle","BSOInspectorateName (name)","InspectorateReport",'
    '"DateOfLastInspectionVisit","NextInspectionVisit","TeenMoth (name)","TeenMothPlaces",'
    '"CCF (name)","SENPRU (name)","EBD (name)","PlacesPRU","FTProv (name)","EdByOther (name)",'
    '"Section41Approved (name)","SEN1 (name)","SEN2 (name)","SEN3 (name)","SEN4 (name)",'
    '"SEN5 (name)","SEN6 (name)","SEN7 (name)","SEN8 (name)","SEN9 (name)","SEN10 (name)",'
    '"SEN11 (name)","SEN12 (name)","SEN13 (name)","TypeOfResourcedProvision (name)",'
    '"ResourcedProvisionOnRoll","ResourcedProvisionCapacity","SenUnitOnRoll","SenUnitCapacity",'
    '"GOR (code)","GOR (name)","DistrictAdministrative (code)","DistrictAdministrative (name)",'
    '"AdministrativeWard (code)","AdministrativeWard (name)","ParliamentaryConstituency (code)",'
    '"ParliamentaryConstituency (name)","UrbanRural (code)","UrbanRural (name)","GSSLACode (name)",'
    '"Easting","Northing","MSOA (name)","LSOA (name)","InspectorateName (name)","SENStat",'
    '"SENNoStat","BoardingEstablishment (name)","PropsName","PreviousLA (code)",'
    '"PreviousLA (name)","PreviousEstablishmentNumber","OfstedRating (name)","RSCRegion (name)",'
    '"Country (name)","UPRN","SiteName","QABName (code)","QABName (name)",'
    '"EstablishmentAccredited (code)","EstablishmentAccredited (name)","QABReport","CHNumber",'
    '"MSOA (code)","LSOA (code)","FSM","AccreditationExpiryDate'
).split('","')

NATIONAL_ROWS = 50_000
CLOSED_SHARE = 0.3  # the national file lists closed establishments too
FIRST_URN = 3_000_001
FORCE_INDEX = 70  # national.area_of's LA codes of this index are used by no seeded force
PHASE_LABELS = dict(School.Phase.choices)


def _date(day) -> str:
    return f"{day:%d-%m-%Y}" if day else ""


def national_extract(rows: int = NATIONAL_ROWS) -> tuple[bytes, list[str]]:
    """Return a GIAS extract of `rows` establishments and the LA codes it covers."""
    area = national.area_of(FORCE_INDEX, "England", "ZZ", rows)
    specs = schools_demo.build_school_specs(area, national.mix_for(area, rows), first_urn=FIRST_URN)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(HEADER)
    for number, spec in enumerate(specs):
        rng = random.Random(f"gias-bench-{spec.urn}")  # noqa: S311 - made-up data
        title, first, last = spec.headteacher_name.split(" ", 2)
        closed = rng.random() < CLOSED_SHARE
        pupils = spec.number_of_pupils
        row = dict.fromkeys(HEADER, "")
        row.update(
            {
                "URN": spec.urn,
                "LA (code)": spec.la_code,
                "LA (name)": spec.la_name,
                "EstablishmentNumber": 2000 + number % 7000,
                "EstablishmentName": spec.name,
                "TypeOfEstablishment (name)": spec.establishment_type,
                "EstablishmentTypeGroup (name)": spec.type_group,
                "EstablishmentStatus (code)": "2" if closed else "1",
                "EstablishmentStatus (name)": "Closed" if closed else "Open",
                "ReasonEstablishmentOpened (name)": "Not applicable",
                "OpenDate": _date(spec.opened_on),
                "ReasonEstablishmentClosed (name)": "Academy converter"
                if closed
                else "Not applicable",
                "CloseDate": "31-08-2019" if closed else "",
                "PhaseOfEducation (name)": PHASE_LABELS[spec.phase],
                "StatutoryLowAge": spec.statutory_low_age,
                "StatutoryHighAge": spec.statutory_high_age,
                "Boarders (name)": "No boarders",
                "NurseryProvision (name)": "No Nursery Classes",
                "OfficialSixthForm (name)": "Does not have a sixth form",
                "Gender (name)": "Mixed",
                "ReligiousCharacter (name)": "Does not apply",
                "AdmissionsPolicy (name)": "Not applicable",
                "SchoolCapacity": pupils + rng.randint(0, 200),
                "CensusDate": "18-01-2024",
                "NumberOfPupils": pupils,
                "NumberOfBoys": pupils // 2,
                "NumberOfGirls": pupils - pupils // 2,
                "PercentageFSM": f"{rng.uniform(2, 45):.1f}",
                "TrustSchoolFlag (name)": "Not applicable",
                "UKPRN": 10000000 + spec.urn % 9999999,
                "OfstedLastInsp": "14-03-2023",
                "LastChangedDate": "02-09-2024",
                "Street": spec.street,
                "Locality": spec.locality,
                "Town": spec.town,
                "County (name)": spec.la_name,
                "Postcode": spec.postcode,
                "SchoolWebsite": spec.website,
                "TelephoneNum": spec.telephone,
                "HeadTitle (name)": title,
                "HeadFirstName": first,
                "HeadLastName": last,
                "HeadPreferredJobTitle": "Headteacher",
                "GOR (name)": "South West",
                "DistrictAdministrative (name)": spec.la_name,
                "AdministrativeWard (name)": spec.locality or spec.town,
                "ParliamentaryConstituency (name)": f"{spec.town} and District",
                "UrbanRural (name)": "(England/Wales) Urban city and town",
                "GSSLACode (name)": f"E0600{spec.la_code}",
                "Easting": rng.randint(100000, 600000),
                "Northing": rng.randint(50000, 600000),
                "MSOA (name)": f"{spec.town} {rng.randint(1, 30):03d}",
                "LSOA (name)": f"{spec.town} {rng.randint(1, 30):03d}{'ABCDE'[rng.randrange(5)]}",
                "OfstedRating (name)": rng.choice(["Good", "Outstanding", "Requires improvement"]),
                "RSCRegion (name)": "South-West England",
                "Country (name)": "United Kingdom",
                "UPRN": 100000000000 + spec.urn,
                "MSOA (code)": f"E0200{spec.urn % 10000:04d}",
                "LSOA (code)": f"E0100{spec.urn % 100000:05d}",
                "FSM": pupils // 5,
            }
        )
        writer.writerow(row.values())
    codes = [la.code for la in area]
    return buffer.getvalue().encode("cp1252", errors="replace"), codes


def refreshed(data: bytes, *, share: float = 0.01) -> bytes:
    """Return the extract a month on: `share` of the schools with new pupil numbers."""
    text = data.decode("cp1252")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    pupils = header.index("NumberOfPupils")
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    rng = random.Random("gias-bench-refresh")  # noqa: S311 - made-up data
    for cells in reader:
        if rng.random() < share and cells[pupils]:
            cells[pupils] = str(int(cells[pupils]) + rng.randint(1, 40))
        writer.writerow(cells)
    return buffer.getvalue().encode("cp1252", errors="replace")


class _Rollback(Exception):
    pass


@dataclass
class GiasTimes:
    rows: int
    megabytes: float
    generate: float
    read: float
    apply: float
    reread: float
    reapply: float
    one_force_read_apply: float
    created: int
    updated: int
    one_force_created: int

    @property
    def import_total(self) -> float:
        return self.read + self.apply

    @property
    def reimport_total(self) -> float:
        return self.reread + self.reapply


def benchmark(rows: int = NATIONAL_ROWS) -> GiasTimes:
    """Time the import of a national-size extract into a force, and its re-import; roll back."""
    times = {}
    generated = {}
    times["generate"] = seconds(lambda: generated.update(extract=national_extract(rows)))
    data, codes = generated["extract"]
    again = refreshed(data)
    summaries = {}
    try:
        with transaction.atomic():
            # A force importing its own two local authorities from the national file.
            with transaction.atomic():
                one = Force.objects.create(
                    slug="gias-bench-one", name="GIAS Benchmark One", home_la_codes=codes[:2]
                )
                times["one_force_read_apply"] = seconds(
                    lambda: summaries.update(one=apply_gias(read_gias(data), force=one))
                )
                transaction.set_rollback(True)
            force = Force.objects.create(
                slug="gias-bench", name="GIAS Benchmark", home_la_codes=codes
            )
            parsed = {}
            times["read"] = seconds(lambda: parsed.update(rows=read_gias(data)))
            times["apply"] = seconds(
                lambda: summaries.update(first=apply_gias(parsed["rows"], force=force))
            )
            times["reread"] = seconds(lambda: parsed.update(rows=read_gias(again)))
            times["reapply"] = seconds(
                lambda: summaries.update(second=apply_gias(parsed["rows"], force=force))
            )
            raise _Rollback
    except _Rollback:
        pass
    for key, summary in summaries.items():
        if summary.errors:
            raise RuntimeError(f"GIAS import ({key}) failed: {summary.errors[:3]}")
    return GiasTimes(
        rows=rows,
        megabytes=len(data) / 1e6,
        created=summaries["first"].created,
        updated=summaries["second"].updated,
        one_force_created=summaries["one"].created,
        **times,
    )

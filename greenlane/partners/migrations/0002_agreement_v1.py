import hashlib

from django.db import migrations
from django.utils import timezone

BODY = """Partnership agreement for voluntary participation in the trusted-trader supply chain security program

1. Purpose. The company named in this application (the Partner) joins the program voluntarily to strengthen the security of the international supply chain it takes part in, in cooperation with the customs agency (the Agency).

2. What the Partner undertakes.
   a. To assess the security of its supply chain against the program's minimum security criteria for its entity type, to describe its security measures truthfully in its security profile, and to put in place and keep up the measures required of it.
   b. To keep its company information, contacts and security profile current, and to review its security profile every year in the window the program sets.
   c. To encourage its business partners to meet the program's criteria, and to check their security in proportion to risk.
   d. To allow the Agency to verify its security measures, at its own and at foreign sites, by visits or by other means the Agency chooses, and to answer the Agency's requests for information within the time given.
   e. To tell the Agency promptly of any security incident affecting its supply chain.
   f. To let only people it has authorised act for it in the program, each with their own account; a consultant may prepare information but only a company officer signs and submits.

3. What the Agency undertakes.
   a. To review the application and tell the Partner of its decision and the reasons for it.
   b. To give certified Partners the benefits the program offers for their tier, subject to the law and to the Agency's risk management.
   c. To keep the Partner's information confidential, to use it for the program and for risk management only, and to disclose it to others only with the Partner's consent or as the law requires.

4. Suspension and removal. Benefits may be suspended or the Partner removed if it gives false or misleading information, fails a validation, misses its annual review, suffers a security breach it does not correct, or no longer meets the criteria. The Partner is told the reasons and may appeal within the periods the program sets.

5. No guarantee. Participation does not exempt any shipment from examination, nor change the Partner's obligations under customs law.

6. Ending participation. Either side may end this agreement by written notice. The Partner's records of participation are kept as the law requires.

7. Signature. The company officer who signs this agreement confirms that they have authority to bind the Partner and that the information in the application is true and complete.
"""


def publish(apps, schema_editor):
    AgreementVersion = apps.get_model("partners", "AgreementVersion")
    if not AgreementVersion.objects.filter(version="2026.1").exists():
        AgreementVersion.objects.create(
            version="2026.1",
            title="Partnership agreement",
            body=BODY,
            body_sha256=hashlib.sha256(BODY.encode("utf-8")).hexdigest(),
            effective_at=timezone.now(),
            is_current=True,
        )


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]

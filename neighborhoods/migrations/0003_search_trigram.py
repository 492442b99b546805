from django.db import migrations

from core.migration_ops import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("neighborhoods", "0002_needreport_needreportstatuschange_neighborhoodhouse_and_more"),
    ]

    operations = [
        # Neighbourhood and need-report search: LIKE '%word%' on the normalised text.
        trigram_index("neighborhoods_neighborhood", "name_normalized", "neighborhood_name_trgm"),
        trigram_index("neighborhoods_needreport", "search_normalized", "needreport_search_trgm"),
    ]

"""Words the demo builds company names from; bench/partner_search.py builds its fixture from them too.

Plain data, no Django: the bench imports it before Django is set up.
"""

from __future__ import annotations

NAME_A = [
    "Atlas",
    "Blue Harbor",
    "Cedar",
    "Delta",
    "Evergreen",
    "Falcon",
    "Granite",
    "Horizon",
    "Iron Bridge",
    "Juniper",
    "Keystone",
    "Lakeside",
    "Meridian",
    "Northstar",
    "Oakmont",
    "Pacific",
    "Quarry",
    "Redwood",
    "Summit",
    "Tidewater",
    "Union",
    "Vista",
    "Westport",
    "Yukon",
    "Zenith",
    "Sierra",
    "Aurora",
    "Coastal",
]
NAME_B = {
    "importer": ["Imports", "Trading Co.", "Retail Group", "Home Goods", "Apparel"],
    "exporter": ["Exports", "Agri Exports", "Machinery"],
    "customs_broker": ["Customs Brokerage", "Clearance Services"],
    "consolidator": ["Freight Consolidators", "NVOCC Lines", "Cargo Partners"],
    "third_party_logistics": ["Logistics", "Fulfillment", "Supply Chain Services"],
    "air_carrier": ["Air Cargo", "Airlines", "Air Freight"],
    "sea_carrier": ["Shipping Lines", "Container Line", "Maritime"],
    "rail_carrier": ["Railway", "Rail Freight"],
    "highway_carrier": ["Trucking", "Transport", "Freightways"],
    "mexican_long_haul_carrier": ["Autotransportes", "Transportes", "Fletes"],
    "foreign_manufacturer": ["Manufacturing", "Industries", "Textiles", "Electronics", "Components"],
    "marine_port_terminal_operator": ["Port Authority", "Container Terminal", "Marine Terminals"],
}
SUFFIX = {
    "US": "LLC",
    "CA": "Ltd.",
    "MX": "S.A. de C.V.",
    "DE": "GmbH",
    "FR": "SAS",
    "CN": "Co., Ltd.",
    "JP": "K.K.",
    "BR": "Ltda.",
    "IT": "S.p.A.",
}

/**
 * Where a phone number rings, as IANA time zones, for calling hours (issue 4, "Calling hours").
 * libphonenumber-js knows a number's country but not its time zone, so this file holds two small
 * tables: countries that keep one time zone, and the North American area codes (the US and
 * Canada span several zones; an area code mostly sits in one). Where an area spans zones
 * (Florida's panhandle, Idaho, the Dakotas…) every zone it spans is given, so a caller can say
 * "unsure" rather than guess.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

export interface NumberTimeZone {
  /** The zone, when the number's area keeps exactly one. */
  timeZone?: string;
  /** Every zone the number may be in: one when certain, several for split areas, none when unknown. */
  candidates: string[];
  /** Where the number rings, in words: "California", "the United Kingdom". */
  place?: string;
  /** What the place was read from, when not the country alone: "area code 650". */
  basis?: string;
  country?: CountryCode;
}

interface AreaGroup {
  region: string;
  zones: readonly string[];
  codes: readonly number[];
}

const EASTERN = 'America/New_York';
const CENTRAL = 'America/Chicago';
const MOUNTAIN = 'America/Denver';
const PACIFIC = 'America/Los_Angeles';

// NANP area codes by state, province or country (North American Numbering Plan Administrator's
// lists, as of 2026). Overlays share their parent's zones. An area code that spans zones names
// each of them, its main zone first, even where only a few exchanges keep the other: a number's
// exchange is not read, so the calling-hours check sees every clock the number may ring under
// (issue 12). test/unit/phone-timezones-data.test.ts holds this table against libphonenumber's
// time-zone data and lists where it differs on purpose.
const NANP_GROUPS: readonly AreaGroup[] = [
  { region: 'Alabama', zones: [CENTRAL], codes: [205, 251, 256, 334, 659, 938] },
  // The Aleutians west of 169°30′ W (Adak, Atka) keep Hawaii–Aleutian time.
  { region: 'Alaska', zones: ['America/Anchorage', 'America/Adak'], codes: [907] },
  { region: 'Arizona', zones: ['America/Phoenix'], codes: [480, 520, 602, 623] },
  // The Navajo Nation keeps daylight saving time; the rest of Arizona does not.
  { region: 'northern Arizona', zones: ['America/Phoenix', MOUNTAIN], codes: [928] },
  { region: 'Arkansas', zones: [CENTRAL], codes: [327, 479, 501, 870] },
  {
    region: 'California',
    zones: [PACIFIC],
    codes: [
      209, 213, 279, 310, 323, 341, 350, 369, 408, 415, 424, 442, 510, 530, 559, 562, 619, 626, 628, 650, 657, 661, 669,
      707, 714, 738, 747, 760, 805, 818, 820, 831, 840, 858, 909, 916, 925, 949, 951,
    ],
  },
  { region: 'Colorado', zones: [MOUNTAIN], codes: [303, 719, 720, 748, 970, 983] },
  { region: 'Connecticut', zones: [EASTERN], codes: [203, 475, 860, 959] },
  { region: 'Delaware', zones: [EASTERN], codes: [302] },
  { region: 'District of Columbia', zones: [EASTERN], codes: [202, 771] },
  {
    region: 'Florida',
    zones: [EASTERN],
    codes: [239, 305, 321, 324, 352, 386, 407, 561, 645, 656, 689, 727, 728, 754, 772, 786, 813, 863, 904, 941, 954],
  },
  { region: 'the Florida panhandle', zones: [EASTERN, CENTRAL], codes: [448, 850] },
  { region: 'Georgia', zones: [EASTERN], codes: [229, 404, 470, 478, 678, 706, 762, 770, 912, 943] },
  { region: 'Hawaii', zones: ['Pacific/Honolulu'], codes: [808] },
  { region: 'Idaho', zones: ['America/Boise', PACIFIC], codes: [208, 986] },
  {
    region: 'Illinois',
    zones: [CENTRAL],
    codes: [217, 224, 309, 312, 331, 447, 464, 618, 630, 708, 730, 773, 779, 815, 847, 861, 872],
  },
  { region: 'Indiana', zones: ['America/Indiana/Indianapolis'], codes: [260, 317, 463, 765] },
  // Indiana's northwest corner keeps Central time, and so does Starke County in 574; a few 219
  // exchanges east of the line keep Eastern.
  { region: 'northern Indiana', zones: ['America/Indiana/Indianapolis', CENTRAL], codes: [574] },
  { region: 'northwest Indiana', zones: [CENTRAL, 'America/Indiana/Indianapolis'], codes: [219] },
  { region: 'southern Indiana', zones: ['America/Indiana/Indianapolis', CENTRAL], codes: [812, 930] },
  { region: 'Iowa', zones: [CENTRAL], codes: [319, 515, 563, 641, 712] },
  { region: 'Kansas', zones: [CENTRAL], codes: [316, 913] },
  // Sherman, Wallace, Greeley and Hamilton counties, on the Colorado line, keep Mountain time.
  { region: 'Kansas', zones: [CENTRAL, MOUNTAIN], codes: [620, 785] },
  { region: 'Kentucky', zones: ['America/Kentucky/Louisville'], codes: [502, 859] },
  // Clinton County (Albany), on the Tennessee line, keeps Central time.
  { region: 'eastern Kentucky', zones: ['America/Kentucky/Louisville', CENTRAL], codes: [606] },
  { region: 'western Kentucky', zones: [CENTRAL, 'America/Kentucky/Louisville'], codes: [270, 364] },
  { region: 'Louisiana', zones: [CENTRAL], codes: [225, 318, 337, 504, 985] },
  { region: 'Maine', zones: [EASTERN], codes: [207] },
  { region: 'Maryland', zones: [EASTERN], codes: [227, 240, 301, 410, 443, 667] },
  { region: 'Massachusetts', zones: [EASTERN], codes: [339, 351, 413, 508, 617, 774, 781, 857, 978] },
  {
    region: 'Michigan',
    zones: ['America/Detroit'],
    codes: [231, 248, 269, 313, 517, 586, 616, 679, 734, 810, 947, 989],
  },
  { region: "Michigan's Upper Peninsula", zones: ['America/Detroit', 'America/Menominee'], codes: [906] },
  { region: 'Minnesota', zones: [CENTRAL], codes: [218, 320, 507, 612, 651, 763, 952] },
  { region: 'Mississippi', zones: [CENTRAL], codes: [228, 601, 662, 769] },
  { region: 'Missouri', zones: [CENTRAL], codes: [235, 314, 417, 557, 573, 636, 660, 816, 975] },
  { region: 'Montana', zones: [MOUNTAIN], codes: [406] },
  { region: 'Nebraska', zones: [CENTRAL], codes: [402, 531] },
  { region: 'western Nebraska', zones: [CENTRAL, MOUNTAIN], codes: [308] },
  { region: 'Nevada', zones: [PACIFIC], codes: [702, 725] },
  // West Wendover and Jackpot, on the Utah and Idaho lines, keep Mountain time.
  { region: 'northern Nevada', zones: [PACIFIC, MOUNTAIN], codes: [775] },
  { region: 'New Hampshire', zones: [EASTERN], codes: [603] },
  { region: 'New Jersey', zones: [EASTERN], codes: [201, 551, 609, 640, 732, 848, 856, 862, 908, 973] },
  { region: 'New Mexico', zones: [MOUNTAIN], codes: [505, 575] },
  {
    region: 'New York',
    zones: [EASTERN],
    codes: [212, 315, 329, 332, 347, 363, 516, 518, 585, 607, 631, 646, 680, 716, 718, 838, 845, 914, 917, 929, 934],
  },
  { region: 'North Carolina', zones: [EASTERN], codes: [252, 336, 472, 704, 743, 828, 910, 919, 980, 984] },
  { region: 'North Dakota', zones: [CENTRAL, MOUNTAIN], codes: [701] },
  { region: 'Ohio', zones: [EASTERN], codes: [216, 220, 234, 283, 326, 330, 380, 419, 440, 513, 567, 614, 740, 937] },
  { region: 'Oklahoma', zones: [CENTRAL], codes: [405, 539, 572, 580, 918] },
  { region: 'Oregon', zones: [PACIFIC], codes: [503, 971] },
  // Malheur County, on the Idaho line, keeps Mountain time; 458 overlays 541.
  { region: 'Oregon', zones: [PACIFIC, MOUNTAIN], codes: [458, 541] },
  {
    region: 'Pennsylvania',
    zones: [EASTERN],
    codes: [215, 223, 267, 272, 412, 445, 484, 570, 582, 610, 717, 724, 814, 835, 878],
  },
  { region: 'Rhode Island', zones: [EASTERN], codes: [401] },
  { region: 'South Carolina', zones: [EASTERN], codes: [803, 821, 839, 843, 854, 864] },
  { region: 'South Dakota', zones: [CENTRAL, MOUNTAIN], codes: [605] },
  { region: 'eastern Tennessee', zones: [EASTERN], codes: [865] },
  // 423 runs from Chattanooga and the Tri-Cities (Eastern) into Marion, Sequatchie and Bledsoe
  // counties, which keep Central time.
  { region: 'eastern Tennessee', zones: [EASTERN, CENTRAL], codes: [423] },
  { region: 'Tennessee', zones: [CENTRAL], codes: [615, 629, 731, 901, 931] },
  {
    region: 'Texas',
    zones: [CENTRAL],
    codes: [
      210, 214, 254, 281, 325, 346, 361, 409, 430, 432, 469, 512, 682, 713, 726, 737, 806, 817, 830, 832, 903, 936, 940,
      945, 956, 972, 979,
    ],
  },
  { region: 'El Paso, Texas', zones: [MOUNTAIN], codes: [915] },
  { region: 'Utah', zones: [MOUNTAIN], codes: [385, 435, 801] },
  { region: 'Vermont', zones: [EASTERN], codes: [802] },
  { region: 'Virginia', zones: [EASTERN], codes: [276, 434, 540, 571, 686, 703, 757, 804, 826, 948] },
  { region: 'Washington', zones: [PACIFIC], codes: [206, 253, 360, 425, 509, 564] },
  { region: 'West Virginia', zones: [EASTERN], codes: [304, 681] },
  { region: 'Wisconsin', zones: [CENTRAL], codes: [262, 274, 353, 414, 534, 608, 715, 920] },
  { region: 'Wyoming', zones: [MOUNTAIN], codes: [307] },
  { region: 'Puerto Rico', zones: ['America/Puerto_Rico'], codes: [787, 939] },
  { region: 'the US Virgin Islands', zones: ['America/St_Thomas'], codes: [340] },
  { region: 'Guam', zones: ['Pacific/Guam'], codes: [671] },
  { region: 'the Northern Mariana Islands', zones: ['Pacific/Saipan'], codes: [670] },
  { region: 'American Samoa', zones: ['Pacific/Pago_Pago'], codes: [684] },
  // Canada
  { region: 'Alberta', zones: ['America/Edmonton'], codes: [368, 403, 587, 780, 825] },
  { region: 'Vancouver, British Columbia', zones: ['America/Vancouver'], codes: [604] },
  // The East Kootenay keeps Mountain time; 236, 257, 672 and 778 overlay all of the province.
  { region: 'British Columbia', zones: ['America/Vancouver', 'America/Edmonton'], codes: [236, 250, 257, 672, 778] },
  { region: 'Manitoba', zones: ['America/Winnipeg'], codes: [204, 431, 584] },
  { region: 'New Brunswick', zones: ['America/Moncton'], codes: [428, 506] },
  // Newfoundland time on the island and Labrador's south coast, Atlantic time (with daylight
  // saving time, as in Goose Bay) in the rest of Labrador.
  { region: 'Newfoundland and Labrador', zones: ['America/St_Johns', 'America/Goose_Bay'], codes: [709, 879] },
  { region: 'Nova Scotia and Prince Edward Island', zones: ['America/Halifax'], codes: [782, 902] },
  {
    region: 'Ontario',
    zones: ['America/Toronto'],
    codes: [226, 249, 289, 343, 365, 382, 416, 437, 519, 548, 613, 647, 683, 705, 742, 753, 905, 942],
  },
  { region: 'northwestern Ontario', zones: ['America/Toronto', 'America/Winnipeg'], codes: [807] },
  { region: 'Quebec', zones: ['America/Toronto'], codes: [263, 354, 438, 450, 468, 514, 579, 819, 873] },
  // The Magdalen Islands and the Lower North Shore keep Atlantic time; 367 and 581 overlay 418.
  { region: 'eastern Quebec', zones: ['America/Toronto', 'America/Halifax'], codes: [367, 418, 581] },
  { region: 'Saskatchewan', zones: ['America/Regina'], codes: [306, 474, 639] },
  {
    region: "Canada's northern territories",
    // Yukon (UTC−7 all year), the Northwest Territories and western Nunavut (Mountain), the
    // Kivalliq (Central) and eastern Nunavut (Eastern).
    zones: ['America/Whitehorse', 'America/Yellowknife', 'America/Rankin_Inlet', 'America/Iqaluit'],
    codes: [867],
  },
  // The Caribbean and Atlantic members of the NANP: one zone each.
  { region: 'the Bahamas', zones: ['America/Nassau'], codes: [242] },
  { region: 'Barbados', zones: ['America/Barbados'], codes: [246] },
  { region: 'Anguilla', zones: ['America/Anguilla'], codes: [264] },
  { region: 'Antigua and Barbuda', zones: ['America/Antigua'], codes: [268] },
  { region: 'the British Virgin Islands', zones: ['America/Tortola'], codes: [284] },
  { region: 'the Cayman Islands', zones: ['America/Cayman'], codes: [345] },
  { region: 'Bermuda', zones: ['Atlantic/Bermuda'], codes: [441] },
  { region: 'Grenada', zones: ['America/Grenada'], codes: [473] },
  { region: 'the Turks and Caicos Islands', zones: ['America/Grand_Turk'], codes: [649] },
  { region: 'Jamaica', zones: ['America/Jamaica'], codes: [658, 876] },
  { region: 'Montserrat', zones: ['America/Montserrat'], codes: [664] },
  { region: 'Sint Maarten', zones: ['America/Lower_Princes'], codes: [721] },
  { region: 'Saint Lucia', zones: ['America/St_Lucia'], codes: [758] },
  { region: 'Dominica', zones: ['America/Dominica'], codes: [767] },
  { region: 'Saint Vincent and the Grenadines', zones: ['America/St_Vincent'], codes: [784] },
  { region: 'the Dominican Republic', zones: ['America/Santo_Domingo'], codes: [809, 829, 849] },
  { region: 'Trinidad and Tobago', zones: ['America/Port_of_Spain'], codes: [868] },
  { region: 'Saint Kitts and Nevis', zones: ['America/St_Kitts'], codes: [869] },
];

const NANP_AREAS: ReadonlyMap<number, AreaGroup> = (() => {
  const map = new Map<number, AreaGroup>();
  for (const group of NANP_GROUPS) {
    for (const code of group.codes) {
      if (map.has(code)) throw new Error(`area code ${code} is listed twice`);
      map.set(code, group);
    }
  }
  return map;
})();

/** Countries that keep a single time zone (outlying islands with their own are rare enough to ignore). */
// prettier-ignore -- a table, kept dense
const SINGLE_ZONE_COUNTRIES: Readonly<Partial<Record<CountryCode, string>>> = {
  AD: 'Europe/Andorra',
  AE: 'Asia/Dubai',
  AF: 'Asia/Kabul',
  AL: 'Europe/Tirane',
  AM: 'Asia/Yerevan',
  AO: 'Africa/Luanda',
  AR: 'America/Argentina/Buenos_Aires',
  AT: 'Europe/Vienna',
  AZ: 'Asia/Baku',
  BA: 'Europe/Sarajevo',
  BD: 'Asia/Dhaka',
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  BH: 'Asia/Bahrain',
  BN: 'Asia/Brunei',
  BO: 'America/La_Paz',
  BT: 'Asia/Thimphu',
  BW: 'Africa/Gaborone',
  BY: 'Europe/Minsk',
  CH: 'Europe/Zurich',
  CI: 'Africa/Abidjan',
  CM: 'Africa/Douala',
  CN: 'Asia/Shanghai',
  CO: 'America/Bogota',
  CR: 'America/Costa_Rica',
  CU: 'America/Havana',
  CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague',
  DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen',
  DZ: 'Africa/Algiers',
  EE: 'Europe/Tallinn',
  EG: 'Africa/Cairo',
  ET: 'Africa/Addis_Ababa',
  FI: 'Europe/Helsinki',
  FJ: 'Pacific/Fiji',
  FO: 'Atlantic/Faroe',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  GE: 'Asia/Tbilisi',
  GG: 'Europe/Guernsey',
  GH: 'Africa/Accra',
  GI: 'Europe/Gibraltar',
  GR: 'Europe/Athens',
  GT: 'America/Guatemala',
  HK: 'Asia/Hong_Kong',
  HN: 'America/Tegucigalpa',
  HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IL: 'Asia/Jerusalem',
  IM: 'Europe/Isle_of_Man',
  IN: 'Asia/Kolkata',
  IQ: 'Asia/Baghdad',
  IR: 'Asia/Tehran',
  IS: 'Atlantic/Reykjavik',
  IT: 'Europe/Rome',
  JE: 'Europe/Jersey',
  JO: 'Asia/Amman',
  JP: 'Asia/Tokyo',
  KE: 'Africa/Nairobi',
  KH: 'Asia/Phnom_Penh',
  KR: 'Asia/Seoul',
  KW: 'Asia/Kuwait',
  LA: 'Asia/Vientiane',
  LB: 'Asia/Beirut',
  LI: 'Europe/Vaduz',
  LK: 'Asia/Colombo',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  LY: 'Africa/Tripoli',
  MA: 'Africa/Casablanca',
  MC: 'Europe/Monaco',
  MD: 'Europe/Chisinau',
  ME: 'Europe/Podgorica',
  MK: 'Europe/Skopje',
  MM: 'Asia/Yangon',
  MO: 'Asia/Macau',
  MT: 'Europe/Malta',
  MU: 'Indian/Mauritius',
  MV: 'Indian/Maldives',
  MY: 'Asia/Kuala_Lumpur',
  MZ: 'Africa/Maputo',
  NA: 'Africa/Windhoek',
  NG: 'Africa/Lagos',
  NI: 'America/Managua',
  NL: 'Europe/Amsterdam',
  NO: 'Europe/Oslo',
  NP: 'Asia/Kathmandu',
  NZ: 'Pacific/Auckland',
  OM: 'Asia/Muscat',
  PA: 'America/Panama',
  PE: 'America/Lima',
  PH: 'Asia/Manila',
  PK: 'Asia/Karachi',
  PL: 'Europe/Warsaw',
  PY: 'America/Asuncion',
  QA: 'Asia/Qatar',
  RO: 'Europe/Bucharest',
  RS: 'Europe/Belgrade',
  RW: 'Africa/Kigali',
  SA: 'Asia/Riyadh',
  SE: 'Europe/Stockholm',
  SG: 'Asia/Singapore',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
  SM: 'Europe/San_Marino',
  SN: 'Africa/Dakar',
  SV: 'America/El_Salvador',
  SY: 'Asia/Damascus',
  TH: 'Asia/Bangkok',
  TN: 'Africa/Tunis',
  TR: 'Europe/Istanbul',
  TW: 'Asia/Taipei',
  TZ: 'Africa/Dar_es_Salaam',
  UA: 'Europe/Kiev',
  UG: 'Africa/Kampala',
  UY: 'America/Montevideo',
  UZ: 'Asia/Tashkent',
  VA: 'Europe/Vatican',
  VE: 'America/Caracas',
  VN: 'Asia/Ho_Chi_Minh',
  YE: 'Asia/Aden',
  ZA: 'Africa/Johannesburg',
  ZM: 'Africa/Lusaka',
  ZW: 'Africa/Harare',
};

/**
 * Countries that span zones but whose geographic prefixes settle it (national significant number,
 * leading digits). Mobiles and anything unlisted stay unknown.
 */
const PREFIX_ZONES: Readonly<
  Partial<Record<CountryCode, readonly { prefix: string; region: string; zones: string[] }[]>>
> = {
  AU: [
    { prefix: '2', region: 'New South Wales and the ACT', zones: ['Australia/Sydney'] },
    { prefix: '3', region: 'Victoria and Tasmania', zones: ['Australia/Melbourne'] },
    { prefix: '7', region: 'Queensland', zones: ['Australia/Brisbane'] },
    {
      prefix: '8',
      region: 'South, Western or Northern Australia',
      zones: ['Australia/Adelaide', 'Australia/Perth', 'Australia/Darwin'],
    },
  ],
  ES: [
    { prefix: '822', region: 'the Canary Islands', zones: ['Atlantic/Canary'] },
    { prefix: '828', region: 'the Canary Islands', zones: ['Atlantic/Canary'] },
    { prefix: '922', region: 'the Canary Islands', zones: ['Atlantic/Canary'] },
    { prefix: '928', region: 'the Canary Islands', zones: ['Atlantic/Canary'] },
    { prefix: '', region: 'Spain', zones: ['Europe/Madrid'] },
  ],
  PT: [
    { prefix: '29', region: 'the Azores', zones: ['Atlantic/Azores'] },
    { prefix: '', region: 'Portugal', zones: ['Europe/Lisbon'] },
  ],
};

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** The time zones a number (E.164, no extension) may ring in, and where that comes from. */
export function timeZonesForNumber(e164: string): NumberTimeZone {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return { candidates: [] };
  const country = parsed.country;
  if (parsed.countryCallingCode === '1') {
    const area = Number(parsed.nationalNumber.slice(0, 3));
    const group = NANP_AREAS.get(area);
    if (!group) return { candidates: [], country };
    return { ...result([...group.zones], group.region, country), basis: `area code ${area}` };
  }
  if (!country) return { candidates: [] };
  const single = SINGLE_ZONE_COUNTRIES[country];
  if (single) return result([single], countryName(country), country);
  const rule = PREFIX_ZONES[country]?.find((r) => parsed.nationalNumber.startsWith(r.prefix));
  if (rule) {
    const found = result(rule.zones, rule.region, country);
    return rule.prefix ? { ...found, basis: `+${parsed.countryCallingCode} ${rule.prefix}` } : found;
  }
  return { candidates: [], country };
}

// Country names that read better with an article in a sentence ("in the United Kingdom").
const WITH_ARTICLE: ReadonlySet<string> = new Set(['GB', 'NL', 'PH', 'AE', 'FO', 'MV']);

function countryName(country: CountryCode): string {
  const name = regionNames.of(country) ?? country;
  return WITH_ARTICLE.has(country) ? `the ${name}` : name;
}

function result(zones: string[], place: string, country: CountryCode | undefined): NumberTimeZone {
  return { timeZone: zones.length === 1 ? zones[0] : undefined, candidates: zones, place, country };
}

/** Every zone the tables name (tests check each is known to Intl). */
export function allTableZones(): string[] {
  const zones = new Set<string>();
  for (const group of NANP_GROUPS) for (const zone of group.zones) zones.add(zone);
  for (const zone of Object.values(SINGLE_ZONE_COUNTRIES)) zones.add(zone);
  for (const rules of Object.values(PREFIX_ZONES))
    for (const rule of rules) for (const zone of rule.zones) zones.add(zone);
  return [...zones];
}

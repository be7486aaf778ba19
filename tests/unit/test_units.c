/*
 * test_units.c - mt_quantity_parse: every accepted unit spelling, every
 * compound and clock form, every error class, and the byte-bounded reading.
 * Expected values are computed by hand from the exact definitions
 * (1 lb = 0.45359237 kg, 1 in = 2.54 cm, 1 mi = 1609.344 m, 1 mph = 0.44704 m/s).
 */
#include "testutil.h"

#include <stdio.h>

/* Parse a NUL-terminated test string; fail the test unless it is accepted. */
static double parse_ok(const char *s, mt_unit u)
{
    mt_error err;
    double v = -1.0;
    int rc;
    memset(&err, 0, sizeof err);
    rc = mt_quantity_parse(s, strlen(s), u, &v, &err);
    if (rc != MT_OK)
        fail_msg("\"%s\" (unit %d): rc %d: %s", s, (int)u, rc, err.message);
    return v;
}

/* Within 1e-9 of the expected value. */
#define EXPECT(s, u, want) assert_close(parse_ok((s), (u)), (want), 1e-9)

/* Bit-for-bit the double nearest the expected decimal. */
#define EXPECT_EXACT(s, u, want)                                                                   \
    do {                                                                                           \
        double v_ = parse_ok((s), (u));                                                            \
        if (v_ != (want))                                                                          \
            fail_msg("\"%s\" = %.17g, expected exactly %.17g", (s), v_, (double)(want));           \
    } while (0)

/* Rejected with MT_EINVAL, field cleared, a one-line message holding `needle`. */
static void expect_error(const char *s, size_t len, mt_unit u, const char *needle)
{
    mt_error err;
    double v = 0.0;
    int rc;
    memset(&err, 'x', sizeof err);
    err.field[sizeof err.field - 1] = '\0';
    err.message[sizeof err.message - 1] = '\0';
    rc = mt_quantity_parse(s, len, u, &v, &err);
    if (rc != MT_EINVAL)
        fail_msg("\"%.*s\" (unit %d): rc %d (%g), expected MT_EINVAL", (int)len, s, (int)u, rc, v);
    assert_int_equal(err.code, MT_EINVAL);
    assert_string_equal(err.field, "");
    if (strstr(err.message, needle) == NULL)
        fail_msg("\"%.*s\": message \"%s\" lacks \"%s\"", (int)len, s, err.message, needle);
    assert_null(strchr(err.message, '\n'));
}

#define EXPECT_ERR(s, u, needle) expect_error((s), strlen(s), (u), (needle))

/* Exactly this message. */
static void expect_message(const char *s, mt_unit u, const char *message)
{
    mt_error err;
    double v = 0.0;
    memset(&err, 0, sizeof err);
    assert_int_equal(mt_quantity_parse(s, strlen(s), u, &v, &err), MT_EINVAL);
    assert_string_equal(err.message, message);
}

/* --- numbers --------------------------------------------------------- */

static void bare_number_is_canonical_unit(void **state)
{
    (void)state;
    EXPECT_EXACT("70", MT_UNIT_KG, 70.0);
    EXPECT_EXACT("162", MT_UNIT_CM, 162.0);
    EXPECT_EXACT("6", MT_UNIT_M, 6.0);
    EXPECT_EXACT("390", MT_UNIT_S, 390.0);
    EXPECT_EXACT("1.2", MT_UNIT_MPS, 1.2);
    EXPECT_EXACT("500", MT_UNIT_OHM, 500.0);
    EXPECT_EXACT("0", MT_UNIT_KG, 0.0);
}

static void decimal_fraction_parses_exactly(void **state)
{
    (void)state;
    EXPECT_EXACT("70.5", MT_UNIT_KG, 70.5);
    EXPECT_EXACT("0.1", MT_UNIT_KG, 0.1);
    EXPECT_EXACT("123456789.012345", MT_UNIT_KG, 123456789.012345);
    EXPECT_EXACT("0.000000000000001", MT_UNIT_KG, 1e-15);
    EXPECT_EXACT("007", MT_UNIT_KG, 7.0);
}

static void leading_plus_is_accepted(void **state)
{
    (void)state;
    EXPECT_EXACT("+40", MT_UNIT_KG, 40.0);
    EXPECT_EXACT("+40 kg", MT_UNIT_KG, 40.0);
}

static void fraction_without_integer_part_is_accepted(void **state)
{
    (void)state;
    EXPECT_EXACT(".5", MT_UNIT_KG, 0.5);
    EXPECT_EXACT(".5 kg", MT_UNIT_KG, 0.5);
}

static void trailing_fraction_zeros_do_not_count_as_digits(void **state)
{
    (void)state;
    EXPECT_EXACT("1.50000000000000000000000", MT_UNIT_KG, 1.5);
    EXPECT_EXACT("0000000000000000000000000000000005", MT_UNIT_KG, 5.0);
}

static void integer_part_up_to_1e9_is_accepted(void **state)
{
    (void)state;
    EXPECT_EXACT("1000000000", MT_UNIT_S, 1e9);
}

/* --- mass ------------------------------------------------------------ */

static void kg_spellings_are_kilograms(void **state)
{
    (void)state;
    EXPECT_EXACT("72.3 kg", MT_UNIT_KG, 72.3);
    EXPECT_EXACT("72.3 kgs", MT_UNIT_KG, 72.3);
    EXPECT_EXACT("72.3 kilo", MT_UNIT_KG, 72.3);
    EXPECT_EXACT("72.3 kilos", MT_UNIT_KG, 72.3);
    EXPECT_EXACT("72.3 kilogram", MT_UNIT_KG, 72.3);
    EXPECT_EXACT("72.3 kilograms", MT_UNIT_KG, 72.3);
}

static void grams_divide_by_1000(void **state)
{
    (void)state;
    EXPECT_EXACT("500 g", MT_UNIT_KG, 0.5);
    EXPECT_EXACT("1500 gram", MT_UNIT_KG, 1.5);
    EXPECT_EXACT("250 grams", MT_UNIT_KG, 0.25);
    EXPECT_EXACT("72300 g", MT_UNIT_KG, 72.3);
}

static void lb_converts_exactly(void **state)
{
    (void)state;
    EXPECT_EXACT("1 lb", MT_UNIT_KG, 0.45359237);
    EXPECT_EXACT("40 lb", MT_UNIT_KG, 18.1436948);
    EXPECT_EXACT("2.5 lb", MT_UNIT_KG, 1.133980925);
}

static void pound_spellings_are_lb(void **state)
{
    (void)state;
    EXPECT_EXACT("40 lbs", MT_UNIT_KG, 18.1436948);
    EXPECT_EXACT("10 pound", MT_UNIT_KG, 4.5359237);
    EXPECT_EXACT("150 pounds", MT_UNIT_KG, 68.0388555);
}

static void stone_is_unknown_unit(void **state)
{
    (void)state;
    expect_message("30 stone", MT_UNIT_KG, "unknown unit 'stone'; accepted: kg, g, lb");
    EXPECT_ERR("12 st", MT_UNIT_KG, "unknown unit 'st'");
    EXPECT_ERR("16 oz", MT_UNIT_KG, "unknown unit 'oz'");
}

/* --- body length (cm) -------------------------------------------------- */

static void cm_is_canonical_for_body_length(void **state)
{
    (void)state;
    EXPECT_EXACT("162 cm", MT_UNIT_CM, 162.0);
    EXPECT_EXACT("162.5cm", MT_UNIT_CM, 162.5);
}

static void metre_spellings_convert_to_cm(void **state)
{
    (void)state;
    EXPECT_EXACT("1.62 m", MT_UNIT_CM, 162.0);
    EXPECT_EXACT("1.62 metre", MT_UNIT_CM, 162.0);
    EXPECT_EXACT("1.62 metres", MT_UNIT_CM, 162.0);
    EXPECT_EXACT("1.62 meter", MT_UNIT_CM, 162.0);
    EXPECT_EXACT("1.62 meters", MT_UNIT_CM, 162.0);
    EXPECT_EXACT("1.005 m", MT_UNIT_CM, 100.5);
}

static void mm_converts_to_cm(void **state)
{
    (void)state;
    EXPECT_EXACT("1655 mm", MT_UNIT_CM, 165.5);
}

static void inch_spellings_convert_exactly(void **state)
{
    (void)state;
    EXPECT_EXACT("13 in", MT_UNIT_CM, 33.02);
    EXPECT_EXACT("13 inch", MT_UNIT_CM, 33.02);
    EXPECT_EXACT("13 inches", MT_UNIT_CM, 33.02);
    EXPECT_EXACT("13\"", MT_UNIT_CM, 33.02);
    EXPECT_EXACT("13\xE2\x80\xB3", MT_UNIT_CM, 33.02); /* U+2033 */
    EXPECT_EXACT("13''", MT_UNIT_CM, 33.02);
    EXPECT_EXACT("10.5 in", MT_UNIT_CM, 26.67);
}

static void foot_spellings_convert_exactly(void **state)
{
    (void)state;
    EXPECT_EXACT("5 ft", MT_UNIT_CM, 152.4);
    EXPECT_EXACT("5 foot", MT_UNIT_CM, 152.4);
    EXPECT_EXACT("5 feet", MT_UNIT_CM, 152.4);
    EXPECT_EXACT("5'", MT_UNIT_CM, 152.4);
    EXPECT_EXACT("5\xE2\x80\xB2", MT_UNIT_CM, 152.4); /* U+2032 */
    EXPECT_EXACT("5.5 ft", MT_UNIT_CM, 167.64);
}

static void feet_and_inches_with_words(void **state)
{
    (void)state;
    EXPECT_EXACT("5 ft 3 in", MT_UNIT_CM, 160.02);
    EXPECT_EXACT("5ft3in", MT_UNIT_CM, 160.02);
    EXPECT_EXACT("5 feet 3 inches", MT_UNIT_CM, 160.02);
    EXPECT_EXACT("5 foot 3 inch", MT_UNIT_CM, 160.02);
    EXPECT_EXACT("6 ft 0 in", MT_UNIT_CM, 182.88);
}

static void feet_and_bare_inches(void **state)
{
    (void)state;
    EXPECT_EXACT("5 ft 3", MT_UNIT_CM, 160.02);
    EXPECT_EXACT("5'3", MT_UNIT_CM, 160.02);
}

static void feet_and_inches_with_primes(void **state)
{
    (void)state;
    EXPECT_EXACT("5' 3\"", MT_UNIT_CM, 160.02);
    EXPECT_EXACT("5'3\"", MT_UNIT_CM, 160.02);
    EXPECT_EXACT("5\xE2\x80\xB2"
                 "3\xE2\x80\xB3",
                 MT_UNIT_CM, 160.02); /* 5′3″ */
    EXPECT_EXACT("5\xE2\x80\x99"
                 "3\xE2\x80\x9D",
                 MT_UNIT_CM, 160.02); /* typographic quotes 5’3” */
    EXPECT_EXACT("5'3''", MT_UNIT_CM, 160.02);
}

static void feet_and_fractional_inches(void **state)
{
    (void)state;
    EXPECT_EXACT("5 ft 3.5 in", MT_UNIT_CM, 161.29);
    EXPECT_EXACT("5 ft 11.75 in", MT_UNIT_CM, 182.245);
}

static void inches_must_be_below_12(void **state)
{
    (void)state;
    expect_message("5 ft 12 in", MT_UNIT_CM, "inches must be below 12 in feet+inches");
    EXPECT_ERR("5'13\"", MT_UNIT_CM, "inches must be below 12");
    EXPECT_ERR("5 ft 12", MT_UNIT_CM, "inches must be below 12");
    EXPECT_EXACT("5 ft 11.99 in", MT_UNIT_CM, 182.8546);
}

static void single_inch_value_may_exceed_12(void **state)
{
    (void)state;
    EXPECT_EXACT("63 in", MT_UNIT_CM, 160.02);
}

static void km_yd_mi_not_accepted_for_body_length(void **state)
{
    (void)state;
    EXPECT_ERR("0.002 km", MT_UNIT_CM, "'km' is not accepted for a body length");
    EXPECT_ERR("2 yd", MT_UNIT_CM, "not accepted for a body length");
    EXPECT_ERR("1 mi", MT_UNIT_CM, "not accepted for a body length");
}

/* --- distance (m) ------------------------------------------------------ */

static void metre_spellings_for_distance(void **state)
{
    (void)state;
    EXPECT_EXACT("6 m", MT_UNIT_M, 6.0);
    EXPECT_EXACT("1.62 m", MT_UNIT_M, 1.62);
    EXPECT_EXACT("6 metre", MT_UNIT_M, 6.0);
    EXPECT_EXACT("6 metres", MT_UNIT_M, 6.0);
    EXPECT_EXACT("6 meter", MT_UNIT_M, 6.0);
    EXPECT_EXACT("6 meters", MT_UNIT_M, 6.0);
}

static void km_and_cm_for_distance(void **state)
{
    (void)state;
    EXPECT_EXACT("1.2 km", MT_UNIT_M, 1200.0);
    EXPECT_EXACT("150 cm", MT_UNIT_M, 1.5);
    EXPECT_EXACT("2.54 cm", MT_UNIT_M, 0.0254);
}

static void feet_for_distance_convert_exactly(void **state)
{
    (void)state;
    EXPECT_EXACT("1300 ft", MT_UNIT_M, 396.24);
    EXPECT_EXACT("100 foot", MT_UNIT_M, 30.48);
    EXPECT_EXACT("100 feet", MT_UNIT_M, 30.48);
}

static void yards_convert_exactly(void **state)
{
    (void)state;
    EXPECT_EXACT("100 yd", MT_UNIT_M, 91.44);
    EXPECT_EXACT("1 yard", MT_UNIT_M, 0.9144);
    EXPECT_EXACT("10 yards", MT_UNIT_M, 9.144);
}

static void miles_convert_exactly(void **state)
{
    (void)state;
    EXPECT_EXACT("1 mi", MT_UNIT_M, 1609.344);
    EXPECT_EXACT("0.25 mile", MT_UNIT_M, 402.336);
    EXPECT_EXACT("2 miles", MT_UNIT_M, 3218.688);
}

static void inches_and_primes_not_accepted_for_distance(void **state)
{
    (void)state;
    EXPECT_ERR("10 in", MT_UNIT_M, "'in' is not accepted for a distance");
    EXPECT_ERR("10 mm", MT_UNIT_M, "not accepted for a distance");
    EXPECT_ERR("10'", MT_UNIT_M, "not accepted for a distance");
}

static void feet_and_inches_only_for_body_length(void **state)
{
    (void)state;
    EXPECT_ERR("5 ft 3", MT_UNIT_M, "unexpected text after '5 ft'");
}

/* --- time (s) ---------------------------------------------------------- */

static void second_spellings(void **state)
{
    (void)state;
    EXPECT_EXACT("4.5 s", MT_UNIT_S, 4.5);
    EXPECT_EXACT("4.5 sec", MT_UNIT_S, 4.5);
    EXPECT_EXACT("4.5 secs", MT_UNIT_S, 4.5);
    EXPECT_EXACT("4.5 second", MT_UNIT_S, 4.5);
    EXPECT_EXACT("4.5 seconds", MT_UNIT_S, 4.5);
}

static void milliseconds_divide_by_1000(void **state)
{
    (void)state;
    EXPECT_EXACT("1500 ms", MT_UNIT_S, 1.5);
    EXPECT_EXACT("4321 ms", MT_UNIT_S, 4.321);
}

static void minute_spellings(void **state)
{
    (void)state;
    EXPECT_EXACT("6 min", MT_UNIT_S, 360.0);
    EXPECT_EXACT("6 mins", MT_UNIT_S, 360.0);
    EXPECT_EXACT("6 minute", MT_UNIT_S, 360.0);
    EXPECT_EXACT("6 minutes", MT_UNIT_S, 360.0);
    EXPECT_EXACT("1.5 min", MT_UNIT_S, 90.0);
}

static void hour_spellings(void **state)
{
    (void)state;
    EXPECT_EXACT("2 h", MT_UNIT_S, 7200.0);
    EXPECT_EXACT("2 hr", MT_UNIT_S, 7200.0);
    EXPECT_EXACT("2 hrs", MT_UNIT_S, 7200.0);
    EXPECT_EXACT("2 hour", MT_UNIT_S, 7200.0);
    EXPECT_EXACT("2 hours", MT_UNIT_S, 7200.0);
    EXPECT_EXACT("0.5 h", MT_UNIT_S, 1800.0);
}

static void minutes_and_seconds_compound(void **state)
{
    (void)state;
    EXPECT_EXACT("6 min 30 s", MT_UNIT_S, 390.0);
    EXPECT_EXACT("6min30s", MT_UNIT_S, 390.0);
    EXPECT_EXACT("6 minutes 30 seconds", MT_UNIT_S, 390.0);
    EXPECT_EXACT("6 min 30.5 s", MT_UNIT_S, 390.5);
}

static void bare_number_after_minutes_is_seconds(void **state)
{
    (void)state;
    EXPECT_EXACT("6 min 30", MT_UNIT_S, 390.0);
    EXPECT_EXACT("1 h 2 min 3", MT_UNIT_S, 3723.0);
}

static void hours_minutes_seconds_compound(void **state)
{
    (void)state;
    EXPECT_EXACT("1 h 2 min", MT_UNIT_S, 3720.0);
    EXPECT_EXACT("1 h 2 min 3 s", MT_UNIT_S, 3723.0);
    EXPECT_EXACT("1h2min3s", MT_UNIT_S, 3723.0);
    EXPECT_EXACT("1 hr 30 s", MT_UNIT_S, 3630.0);
}

static void compound_time_parts_below_60(void **state)
{
    (void)state;
    EXPECT_ERR("6 min 60 s", MT_UNIT_S, "seconds must be below 60");
    EXPECT_ERR("6 min 75", MT_UNIT_S, "seconds must be below 60");
    EXPECT_ERR("1 h 75 min", MT_UNIT_S, "minutes must be below 60");
}

static void compound_units_go_largest_first(void **state)
{
    (void)state;
    EXPECT_ERR("6 min 1 h", MT_UNIT_S, "largest to smallest");
    EXPECT_ERR("5 ft 3 ft", MT_UNIT_CM, "largest to smallest");
    EXPECT_ERR("6 min 30 ms", MT_UNIT_S, "largest to smallest");
    EXPECT_ERR("30 s 6 min", MT_UNIT_S, "unexpected text after '30 s'");
    EXPECT_ERR("5 in 3 ft", MT_UNIT_CM, "unexpected text after '5 in'");
}

static void bare_number_after_hours_is_rejected(void **state)
{
    (void)state;
    EXPECT_ERR("1 h 30", MT_UNIT_S, "unexpected text after '1 h'");
}

static void compound_part_of_wrong_kind_is_named(void **state)
{
    (void)state;
    EXPECT_ERR("5 ft 3 kg", MT_UNIT_CM, "'kg' is a mass unit");
}

/* --- clock form -------------------------------------------------------- */

static void clock_minutes_seconds(void **state)
{
    (void)state;
    EXPECT_EXACT("6:30", MT_UNIT_S, 390.0);
    EXPECT_EXACT("06:30", MT_UNIT_S, 390.0);
    EXPECT_EXACT("0:45", MT_UNIT_S, 45.0);
    EXPECT_EXACT("75:00", MT_UNIT_S, 4500.0);
}

static void clock_hours_minutes_seconds(void **state)
{
    (void)state;
    EXPECT_EXACT("1:02:03", MT_UNIT_S, 3723.0);
    EXPECT_EXACT("0:00:59", MT_UNIT_S, 59.0);
}

static void clock_fractional_seconds(void **state)
{
    (void)state;
    EXPECT_EXACT("6:30.5", MT_UNIT_S, 390.5);
    EXPECT_EXACT("1:02:03.25", MT_UNIT_S, 3723.25);
}

static void clock_parts_need_two_digits_below_60(void **state)
{
    (void)state;
    EXPECT_ERR("6:3", MT_UNIT_S, "a clock time must be m:ss or h:mm:ss");
    EXPECT_ERR("6:300", MT_UNIT_S, "a clock time must be");
    EXPECT_ERR("6:60", MT_UNIT_S, "a clock time must be");
    EXPECT_ERR("1:2:03", MT_UNIT_S, "a clock time must be");
    EXPECT_ERR("1:02:60", MT_UNIT_S, "a clock time must be");
    EXPECT_ERR("6:", MT_UNIT_S, "a clock time must be");
    EXPECT_ERR("6:30:", MT_UNIT_S, "a clock time must be");
    EXPECT_ERR("1:02:03:04", MT_UNIT_S, "a clock time must be");
}

static void clock_fraction_only_on_last_part(void **state)
{
    (void)state;
    EXPECT_ERR("6.5:30", MT_UNIT_S, "a clock time must be");
    EXPECT_ERR("1:02.5:03", MT_UNIT_S, "a clock time must be");
}

static void clock_only_for_time(void **state)
{
    (void)state;
    EXPECT_ERR("6:30", MT_UNIT_KG, "expected a mass");
    EXPECT_ERR("6:30", MT_UNIT_MPS, "clock time");
}

static void clock_with_trailing_text_is_rejected(void **state)
{
    (void)state;
    EXPECT_ERR("6:30 min", MT_UNIT_S, "unexpected text after '6:30'");
}

/* --- speed (m/s) ------------------------------------------------------- */

static void metres_per_second_spellings(void **state)
{
    (void)state;
    EXPECT_EXACT("1.2 m/s", MT_UNIT_MPS, 1.2);
    EXPECT_EXACT("1.2 mps", MT_UNIT_MPS, 1.2);
}

static void km_per_hour_spellings(void **state)
{
    (void)state;
    EXPECT("2.5 km/h", MT_UNIT_MPS, 2.5 / 3.6);
    EXPECT_EXACT("2.5 km/h", MT_UNIT_MPS, 25.0 / 36.0);
    EXPECT_EXACT("3.6 km/h", MT_UNIT_MPS, 1.0);
    EXPECT_EXACT("18 kmh", MT_UNIT_MPS, 5.0);
    EXPECT_EXACT("18 kph", MT_UNIT_MPS, 5.0);
    EXPECT_EXACT("18 km/hr", MT_UNIT_MPS, 5.0);
}

static void mph_converts_exactly(void **state)
{
    (void)state;
    EXPECT_EXACT("1 mph", MT_UNIT_MPS, 0.44704);
    EXPECT_EXACT("3 mi/h", MT_UNIT_MPS, 1.34112);
}

static void feet_and_cm_per_second(void **state)
{
    (void)state;
    EXPECT_EXACT("2 ft/s", MT_UNIT_MPS, 0.6096);
    EXPECT_EXACT("2 fps", MT_UNIT_MPS, 0.6096);
    EXPECT_EXACT("120 cm/s", MT_UNIT_MPS, 1.2);
}

/* --- impedance (ohm) --------------------------------------------------- */

static void ohm_spellings(void **state)
{
    (void)state;
    EXPECT_EXACT("500 ohm", MT_UNIT_OHM, 500.0);
    EXPECT_EXACT("500 ohms", MT_UNIT_OHM, 500.0);
    EXPECT_EXACT("500 \xCE\xA9", MT_UNIT_OHM, 500.0);      /* U+03A9 */
    EXPECT_EXACT("512.5\xE2\x84\xA6", MT_UNIT_OHM, 512.5); /* U+2126 */
}

/* --- spelling ------------------------------------------------------------ */

static void units_are_case_insensitive(void **state)
{
    (void)state;
    EXPECT_EXACT("40 KG", MT_UNIT_KG, 40.0);
    EXPECT_EXACT("40 Lb", MT_UNIT_KG, 18.1436948);
    EXPECT_EXACT("1.62 M", MT_UNIT_CM, 162.0);
    EXPECT_EXACT("5 FT 3 IN", MT_UNIT_CM, 160.02);
    EXPECT_EXACT("6 Min 30 S", MT_UNIT_S, 390.0);
    EXPECT_EXACT("3.6 KM/H", MT_UNIT_MPS, 1.0);
    EXPECT_EXACT("500 OHM", MT_UNIT_OHM, 500.0);
}

static void whitespace_is_optional_and_trimmed(void **state)
{
    (void)state;
    EXPECT_EXACT("40kg", MT_UNIT_KG, 40.0);
    EXPECT_EXACT("  40 kg  ", MT_UNIT_KG, 40.0);
    EXPECT_EXACT("\t40\tkg\n", MT_UNIT_KG, 40.0);
    EXPECT_EXACT("40   kg", MT_UNIT_KG, 40.0);
    EXPECT_EXACT("5 ft  3 in", MT_UNIT_CM, 160.02);
    EXPECT_EXACT("\r\n6:30\r\n", MT_UNIT_S, 390.0);
    EXPECT_EXACT(" 70 ", MT_UNIT_KG, 70.0);
}

static void no_break_spaces_count_as_whitespace(void **state)
{
    (void)state;
    EXPECT_EXACT("40\xC2\xA0kg", MT_UNIT_KG, 40.0); /* U+00A0 */
    EXPECT_EXACT("40\xE2\x80\xAF"
                 "kg",
                 MT_UNIT_KG, 40.0); /* U+202F */
}

/* --- errors -------------------------------------------------------------- */

static void wrong_kind_names_the_expected_kind(void **state)
{
    (void)state;
    expect_message("40 s", MT_UNIT_KG, "'s' is a time unit; expected a mass (kg or lb)");
    EXPECT_ERR("40 kg", MT_UNIT_CM, "'kg' is a mass unit; expected a body length");
    EXPECT_ERR("5 min", MT_UNIT_M, "'min' is a time unit; expected a distance");
    EXPECT_ERR("1.62 m", MT_UNIT_S, "'m' is a length unit; expected a time");
    EXPECT_ERR("2 m/s", MT_UNIT_S, "'m/s' is a speed unit; expected a time");
    EXPECT_ERR("1.2 km", MT_UNIT_MPS, "'km' is a length unit; expected a speed");
    EXPECT_ERR("5 ohm", MT_UNIT_MPS, "'ohm' is an impedance unit");
    EXPECT_ERR("500 kg", MT_UNIT_OHM, "expected an impedance");
}

static void unknown_unit_lists_accepted_units(void **state)
{
    (void)state;
    EXPECT_ERR("40 xyz", MT_UNIT_CM, "unknown unit 'xyz'; accepted: cm");
    EXPECT_ERR("5 furlongs", MT_UNIT_M, "unknown unit 'furlongs'; accepted: m, km");
    EXPECT_ERR("5 fortnights", MT_UNIT_S, "unknown unit 'fortnights'; accepted: s");
    EXPECT_ERR("5 knots", MT_UNIT_MPS, "unknown unit 'knots'; accepted: m/s");
    EXPECT_ERR("5 kohm", MT_UNIT_OHM, "unknown unit 'kohm'; accepted: ohm");
}

static void empty_value_is_rejected(void **state)
{
    (void)state;
    expect_error("", 0, MT_UNIT_KG, "empty value");
    EXPECT_ERR("   ", MT_UNIT_KG, "empty value");
    EXPECT_ERR("\t\r\n", MT_UNIT_S, "empty value");
    expect_error(NULL, 0, MT_UNIT_CM, "empty value");
}

static void unit_without_number_is_rejected(void **state)
{
    (void)state;
    expect_message("kg", MT_UNIT_KG, "no number");
    EXPECT_ERR("+", MT_UNIT_KG, "no number");
    EXPECT_ERR(".", MT_UNIT_KG, "no number");
    EXPECT_ERR("+kg", MT_UNIT_KG, "no number");
    EXPECT_ERR(". kg", MT_UNIT_KG, "no number");
    EXPECT_ERR("\xE2\x80\xB2", MT_UNIT_CM, "no number");
}

static void trailing_text_is_rejected(void **state)
{
    (void)state;
    expect_message("40 kg extra", MT_UNIT_KG, "unexpected text after '40 kg'");
    EXPECT_ERR("40 5", MT_UNIT_KG, "unexpected text after '40'");
    EXPECT_ERR("1.2.3", MT_UNIT_KG, "unexpected text after '1.2'");
    EXPECT_ERR("40 lbs.", MT_UNIT_KG, "unexpected text after '40 lbs'");
    EXPECT_ERR("40 @", MT_UNIT_KG, "unexpected text after '40'");
    EXPECT_ERR("5.", MT_UNIT_KG, "unexpected text after '5'");
    EXPECT_ERR("40 kg 5", MT_UNIT_KG, "unexpected text after '40 kg'");
}

static void nan_and_inf_are_not_numbers(void **state)
{
    (void)state;
    expect_message("nan", MT_UNIT_KG, "not a number");
    EXPECT_ERR("NaN", MT_UNIT_KG, "not a number");
    EXPECT_ERR("inf", MT_UNIT_S, "not a number");
    EXPECT_ERR("INF", MT_UNIT_S, "not a number");
    EXPECT_ERR("infinity", MT_UNIT_CM, "not a number");
    EXPECT_ERR("-inf", MT_UNIT_CM, "not a number");
    EXPECT_ERR("+nan kg", MT_UNIT_KG, "not a number");
}

static void negative_values_are_rejected(void **state)
{
    (void)state;
    expect_message("-5", MT_UNIT_KG, "negative values are not accepted");
    EXPECT_ERR("-5 kg", MT_UNIT_KG, "negative values are not accepted");
    EXPECT_ERR(" -0.5 m/s", MT_UNIT_MPS, "negative values are not accepted");
    EXPECT_ERR("- 5", MT_UNIT_KG, "negative values are not accepted");
}

static void comma_decimal_separator_is_rejected(void **state)
{
    (void)state;
    expect_message("40,5 kg", MT_UNIT_KG, "use '.' as the decimal separator");
    EXPECT_ERR("1,300 ft", MT_UNIT_M, "use '.' as the decimal separator");
}

static void exponent_notation_is_rejected(void **state)
{
    (void)state;
    EXPECT_ERR("1e3", MT_UNIT_KG, "exponent");
    EXPECT_ERR("1E-2 kg", MT_UNIT_KG, "exponent");
    EXPECT_ERR("2e+1", MT_UNIT_KG, "exponent");
    EXPECT_ERR("6 min 3e1", MT_UNIT_S, "exponent");
}

static void hex_is_rejected(void **state)
{
    (void)state;
    EXPECT_ERR("0x10", MT_UNIT_KG, "unknown unit 'x'");
}

static void too_many_digits_is_number_too_large(void **state)
{
    (void)state;
    EXPECT_ERR("1000000001", MT_UNIT_KG, "number too large");
    EXPECT_ERR("1234567890123456", MT_UNIT_KG, "number too large");
    EXPECT_ERR("99999999999999999999999999999999999999999", MT_UNIT_KG, "number too large");
    EXPECT_ERR("1.234567890123456", MT_UNIT_KG, "number too large");
    EXPECT_ERR("5 ft 1.234567890123456 in", MT_UNIT_CM, "number too large");
}

/* --- bytes --------------------------------------------------------------- */

static void parsing_stops_at_len(void **state)
{
    static const char buf[5] = {'4', '0', ' ', 'k', 'g'}; /* no NUL */
    double v = 0.0;
    (void)state;
    assert_int_equal(mt_quantity_parse(buf, sizeof buf, MT_UNIT_KG, &v, NULL), MT_OK);
    assert_true(v == 40.0);
    assert_int_equal(mt_quantity_parse("40 lb", 2, MT_UNIT_KG, &v, NULL), MT_OK);
    assert_true(v == 40.0);
    assert_int_equal(mt_quantity_parse("5 ft 3 in", 4, MT_UNIT_CM, &v, NULL), MT_OK);
    assert_true(v == 152.4);
    assert_int_equal(mt_quantity_parse("6:30", 1, MT_UNIT_S, &v, NULL), MT_OK);
    assert_true(v == 6.0);
}

static void embedded_nul_is_rejected(void **state)
{
    (void)state;
    expect_error("40\0kg", 5, MT_UNIT_KG, "NUL");
    expect_error("\0", 1, MT_UNIT_KG, "NUL");
    expect_error("40 kg\0", 6, MT_UNIT_KG, "NUL");
}

static void overlong_input_is_rejected(void **state)
{
    char buf[80];
    double v = 0.0;
    (void)state;
    memset(buf, ' ', sizeof buf);
    buf[0] = '4';
    buf[1] = '0';
    assert_int_equal(mt_quantity_parse(buf, 64, MT_UNIT_KG, &v, NULL), MT_OK);
    assert_true(v == 40.0);
    expect_error(buf, 65, MT_UNIT_KG, "too long");
    expect_error(buf, sizeof buf, MT_UNIT_KG, "too long");
}

/* --- the contract -------------------------------------------------------- */

static void error_sets_code_and_clears_field(void **state)
{
    mt_error err;
    double v = 0.0;
    (void)state;
    memset(&err, 0, sizeof err);
    snprintf(err.field, sizeof err.field, "%s", "measurements.grip");
    assert_int_equal(mt_quantity_parse("40 s", 4, MT_UNIT_KG, &v, &err), MT_EINVAL);
    assert_int_equal(err.code, MT_EINVAL);
    assert_string_equal(err.field, "");
    assert_true(err.message[0] != '\0');
}

static void success_leaves_err_untouched(void **state)
{
    mt_error err, copy;
    double v = 0.0;
    (void)state;
    memset(&err, 0x5A, sizeof err);
    memcpy(&copy, &err, sizeof err);
    assert_int_equal(mt_quantity_parse("40 lb", 5, MT_UNIT_KG, &v, &err), MT_OK);
    assert_memory_equal(&err, &copy, sizeof err);
}

static void err_may_be_null(void **state)
{
    double v = 0.0;
    (void)state;
    assert_int_equal(mt_quantity_parse("40 s", 4, MT_UNIT_KG, &v, NULL), MT_EINVAL);
    assert_int_equal(mt_quantity_parse(NULL, 3, MT_UNIT_KG, &v, NULL), MT_EUSAGE);
}

static void null_arguments_are_usage_errors(void **state)
{
    mt_error err;
    double v = 0.0;
    (void)state;
    memset(&err, 0, sizeof err);
    assert_int_equal(mt_quantity_parse(NULL, 3, MT_UNIT_KG, &v, &err), MT_EUSAGE);
    assert_int_equal(err.code, MT_EUSAGE);
    assert_int_equal(mt_quantity_parse("40", 2, MT_UNIT_KG, NULL, &err), MT_EUSAGE);
    assert_int_equal(err.code, MT_EUSAGE);
}

static void unknown_target_unit_is_usage_error(void **state)
{
    double v = 0.0;
    (void)state;
    assert_int_equal(mt_quantity_parse("40", 2, (mt_unit)6, &v, NULL), MT_EUSAGE);
    assert_int_equal(mt_quantity_parse("40", 2, (mt_unit)-1, &v, NULL), MT_EUSAGE);
}

static void message_is_one_line(void **state)
{
    (void)state;
    expect_message("40\nkg\nextra", MT_UNIT_KG, "unexpected text after '40 kg'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bare_number_is_canonical_unit),
        cmocka_unit_test(decimal_fraction_parses_exactly),
        cmocka_unit_test(leading_plus_is_accepted),
        cmocka_unit_test(fraction_without_integer_part_is_accepted),
        cmocka_unit_test(trailing_fraction_zeros_do_not_count_as_digits),
        cmocka_unit_test(integer_part_up_to_1e9_is_accepted),
        cmocka_unit_test(kg_spellings_are_kilograms),
        cmocka_unit_test(grams_divide_by_1000),
        cmocka_unit_test(lb_converts_exactly),
        cmocka_unit_test(pound_spellings_are_lb),
        cmocka_unit_test(stone_is_unknown_unit),
        cmocka_unit_test(cm_is_canonical_for_body_length),
        cmocka_unit_test(metre_spellings_convert_to_cm),
        cmocka_unit_test(mm_converts_to_cm),
        cmocka_unit_test(inch_spellings_convert_exactly),
        cmocka_unit_test(foot_spellings_convert_exactly),
        cmocka_unit_test(feet_and_inches_with_words),
        cmocka_unit_test(feet_and_bare_inches),
        cmocka_unit_test(feet_and_inches_with_primes),
        cmocka_unit_test(feet_and_fractional_inches),
        cmocka_unit_test(inches_must_be_below_12),
        cmocka_unit_test(single_inch_value_may_exceed_12),
        cmocka_unit_test(km_yd_mi_not_accepted_for_body_length),
        cmocka_unit_test(metre_spellings_for_distance),
        cmocka_unit_test(km_and_cm_for_distance),
        cmocka_unit_test(feet_for_distance_convert_exactly),
        cmocka_unit_test(yards_convert_exactly),
        cmocka_unit_test(miles_convert_exactly),
        cmocka_unit_test(inches_and_primes_not_accepted_for_distance),
        cmocka_unit_test(feet_and_inches_only_for_body_length),
        cmocka_unit_test(second_spellings),
        cmocka_unit_test(milliseconds_divide_by_1000),
        cmocka_unit_test(minute_spellings),
        cmocka_unit_test(hour_spellings),
        cmocka_unit_test(minutes_and_seconds_compound),
        cmocka_unit_test(bare_number_after_minutes_is_seconds),
        cmocka_unit_test(hours_minutes_seconds_compound),
        cmocka_unit_test(compound_time_parts_below_60),
        cmocka_unit_test(compound_units_go_largest_first),
        cmocka_unit_test(bare_number_after_hours_is_rejected),
        cmocka_unit_test(compound_part_of_wrong_kind_is_named),
        cmocka_unit_test(clock_minutes_seconds),
        cmocka_unit_test(clock_hours_minutes_seconds),
        cmocka_unit_test(clock_fractional_seconds),
        cmocka_unit_test(clock_parts_need_two_digits_below_60),
        cmocka_unit_test(clock_fraction_only_on_last_part),
        cmocka_unit_test(clock_only_for_time),
        cmocka_unit_test(clock_with_trailing_text_is_rejected),
        cmocka_unit_test(metres_per_second_spellings),
        cmocka_unit_test(km_per_hour_spellings),
        cmocka_unit_test(mph_converts_exactly),
        cmocka_unit_test(feet_and_cm_per_second),
        cmocka_unit_test(ohm_spellings),
        cmocka_unit_test(units_are_case_insensitive),
        cmocka_unit_test(whitespace_is_optional_and_trimmed),
        cmocka_unit_test(no_break_spaces_count_as_whitespace),
        cmocka_unit_test(wrong_kind_names_the_expected_kind),
        cmocka_unit_test(unknown_unit_lists_accepted_units),
        cmocka_unit_test(empty_value_is_rejected),
        cmocka_unit_test(unit_without_number_is_rejected),
        cmocka_unit_test(trailing_text_is_rejected),
        cmocka_unit_test(nan_and_inf_are_not_numbers),
        cmocka_unit_test(negative_values_are_rejected),
        cmocka_unit_test(comma_decimal_separator_is_rejected),
        cmocka_unit_test(exponent_notation_is_rejected),
        cmocka_unit_test(hex_is_rejected),
        cmocka_unit_test(too_many_digits_is_number_too_large),
        cmocka_unit_test(parsing_stops_at_len),
        cmocka_unit_test(embedded_nul_is_rejected),
        cmocka_unit_test(overlong_input_is_rejected),
        cmocka_unit_test(error_sets_code_and_clears_field),
        cmocka_unit_test(success_leaves_err_untouched),
        cmocka_unit_test(err_may_be_null),
        cmocka_unit_test(null_arguments_are_usage_errors),
        cmocka_unit_test(unknown_target_unit_is_usage_error),
        cmocka_unit_test(message_is_one_line),
    };
    return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}

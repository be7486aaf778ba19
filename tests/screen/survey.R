# tests/screen/survey.R - the prevalence table of `myotrack screen`, recomputed with R's
# survey package (Lumley), the reference implementation docs/statistics.md follows.
#
#   Rscript survey.R --input IN.csv --rows ROWS.csv --stats STATS.tsv --out R.csv \
#       --id ID [--weight W [[--strata S] --psu P]] --sex SEX [--sex-codes 1=male,2=female] \
#       [--age AGE --ages 60,70,80]
#
# IN.csv is the cohort file; ROWS.csv the per-row results `myotrack screen -o` wrote for it
# (its id column named ID, as in IN.csv); STATS.tsv the statistics to compute, one a line:
# "category<TAB>DEF<TAB>CATEGORY", "classified<TAB>DEF<TAB>CATEGORY" (the category among the
# rows the definition classified: its category not insufficient_data, the summary's
# of_classified) or "criterion<TAB>DEF.CRITERION" (screentest.py writes it from the summary). The rows in ROWS.csv (those the screen kept), joined to IN.csv by ID, are
# the ones counted; with --psu (and --strata) the design is made of them and of the rows the
# screen rejected whose weight, stratum and PSU are valid (a weight >= 0, a stratum and PSU
# not missing), which are then outside every domain (docs/statistics.md, "Rejected rows").
# The groups are made here from the kept rows' raw cells: "all", "sex=...", "age=..." (bands
# as --age-groups names them) and their crosses "sex=...,age=...".
#
# For every group and statistic R.csv gets: evaluated, met, the percent with the Wilson
# interval (prop.test without continuity correction), and with --weight the weighted percent
# with its interval: with --psu (and --strata) svyciprop(method = "logit") on the domain
# (subset() of the whole design, lonely PSUs as certainty units, df = degf() of the domain);
# at 0 % and 100 %, where the logit interval does not exist, the Wilson bound with t at that
# df and Kish's effective n (docs/statistics.md, "0 % and 100 %"); without a design the
# Wilson interval at Kish's effective n. NA where the screen prints null.
options(survey.lonely.psu = "certainty", warn = 1)
suppressPackageStartupMessages(library(survey))

args <- commandArgs(TRUE)
opt <- function(name, default = NA) {
    i <- match(paste0("--", name), args)
    if (is.na(i)) default else args[i + 1]
}
read <- function(path) {
    read.csv(path, colClasses = "character", check.names = FALSE, na.strings = character(0),
             encoding = "UTF-8")
}

id <- opt("id")
inp <- read(opt("input"))
rows <- read(opt("rows"))
stopifnot(id %in% names(inp), id %in% names(rows), !anyDuplicated(rows[[id]]),
          !anyDuplicated(inp[[id]]))
rows$.kept <- TRUE
d <- merge(rows, inp, by = id, all.y = TRUE, suffixes = c("", ".input"))
stopifnot(sum(d$.kept, na.rm = TRUE) == nrow(rows))
d$.kept <- !is.na(d$.kept)
for (v in setdiff(names(rows), c(id, ".kept"))) d[[v]][is.na(d[[v]])] <- "" # not screened
missing <- function(x) trimws(x) %in% c("", "NA", ".")
if (!is.na(opt("weight")) && !is.na(opt("psu"))) { # a rejected row in the design or not
    wv <- suppressWarnings(as.numeric(d[[opt("weight")]]))
    st_ok <- if (is.na(opt("strata"))) TRUE else !missing(d[[opt("strata")]])
    d <- d[d$.kept | (!is.na(wv) & wv >= 0 & st_ok & !missing(d[[opt("psu")]])), ]
} else {
    d <- d[d$.kept, ]
}
kept <- d$.kept
n <- nrow(d)

# The groups, from the raw cells.
sex <- d[[opt("sex")]]
codes <- opt("sex-codes")
if (!is.na(codes)) {
    pairs <- strsplit(strsplit(codes, ",")[[1]], "=")
    map <- setNames(sapply(pairs, `[`, 2), sapply(pairs, `[`, 1))
    sex <- unname(map[sex])
}
groups <- list(all = kept)
band <- NULL
if (!is.na(opt("age"))) {
    cuts <- as.numeric(strsplit(opt("ages"), ",")[[1]])
    age <- suppressWarnings(as.numeric(d[[opt("age")]])) # a rejected row's may be a word
    labels <- c(paste0("<", cuts[1]),
                if (length(cuts) > 1) paste0(head(cuts, -1), "-", tail(cuts, -1) - 1),
                paste0(tail(cuts, 1), "+"))
    band <- labels[findInterval(age, cuts) + 1]
    for (b in labels) if (any(kept & band == b)) groups[[paste0("age=", b)]] <- kept & band == b
}
for (s in sort(unique(sex[kept]))) groups[[paste0("sex=", s)]] <- kept & sex == s
if (!is.null(band))
    for (s in sort(unique(sex[kept]))) for (b in labels)
        if (any(kept & sex == s & band == b))
            groups[[paste0("sex=", s, ",age=", b)]] <- kept & sex == s & band == b

# The design.
w <- if (is.na(opt("weight"))) NULL else as.numeric(d[[opt("weight")]])
design <- NULL
if (!is.null(w) && !is.na(opt("psu"))) {
    d$.w <- w
    if (is.na(opt("strata"))) { # a cluster sample without strata: one stratum
        d$.psu <- d[[opt("psu")]]
        design <- svydesign(ids = ~.psu, weights = ~.w, data = d)
    } else {
        d$.stratum <- d[[opt("strata")]]
        d$.psu <- paste(d$.stratum, d[[opt("psu")]]) # PSUs are named within their stratum
        design <- svydesign(ids = ~.psu, strata = ~.stratum, weights = ~.w, data = d, nest = TRUE)
    }
}

# The logit fit's note on rows of weight 0 (NHANES's unexamined people), which the estimate
# does not use either: not shown; any other warning is.
quiet <- function(x) {
    withCallingHandlers(x, warning = function(w) {
        if (grepl("zero weight not used", conditionMessage(w))) invokeRestart("muffleWarning")
    })
}

z <- qnorm(0.975)
wilson <- function(p, n, k) { # at a proportion p of n (possibly fractional), k for z
    centre <- (p + k^2 / (2 * n)) / (1 + k^2 / n)
    half <- k / (1 + k^2 / n) * sqrt(p * (1 - p) / n + k^2 / (4 * n^2))
    100 * c(centre - half, centre + half)
}

stats <- read.delim(opt("stats"), header = FALSE, colClasses = "character", quote = "")
out <- list()
taylor_fits <- 0
for (g in names(groups)) {
    G <- groups[[g]]
    for (k in seq_len(nrow(stats))) {
        if (stats[k, 1] == "category") {
            col <- d[[paste0(stats[k, 2], ".category")]]
            ev <- G & col != ""
            y <- ev & col == stats[k, 3]
            name <- paste0(stats[k, 2], ":", stats[k, 3])
        } else if (stats[k, 1] == "classified") {
            col <- d[[paste0(stats[k, 2], ".category")]]
            ev <- G & col != "" & col != "insufficient_data"
            y <- ev & col == stats[k, 3]
            name <- paste0(stats[k, 2], ":", stats[k, 3], "/classified")
        } else {
            col <- d[[stats[k, 2]]]
            ev <- G & col != ""
            y <- ev & col == "1"
            name <- stats[k, 2]
        }
        ne <- sum(ev)
        m <- sum(y)
        r <- c(ne, m, NA, NA, NA, NA, NA, NA, NA, NA, NA)
        if (ne > 0) {
            ci <- suppressWarnings(prop.test(m, ne, correct = FALSE)$conf.int)
            r[3:5] <- c(100 * m / ne, 100 * ci[1], 100 * ci[2])
        }
        if (!is.null(w) && sum(w[ev]) > 0) {
            sw <- sum(w[ev])
            p <- sum(w[y]) / sw
            kish <- sw^2 / sum(w[ev]^2)
            r[6] <- 100 * p
            if (sum(w[ev]^2) > 0)
                r[11] <- kish
            if (is.null(design)) {
                r[7:8] <- wilson(p, kish, z)
            } else {
                sub <- subset(update(design, .ev = ev, .y = as.numeric(y)), .ev)
                df <- degf(sub)
                # the weighted percent's standard error (the domain's, linearised) and df
                r[9:10] <- c(100 * as.numeric(SE(quiet(svymean(~.y, sub)))), df)
                if (df >= 1 && (p == 0 || p == 1)) {
                    r[7:8] <- wilson(p, kish, qt(0.975, df))
                } else if (df >= 1) {
                    ci <- confint(quiet(svyciprop(~.y, sub, method = "logit")))
                    r[7:8] <- 100 * as.numeric(ci)
                    taylor_fits <- taylor_fits + 1
                }
            }
        }
        out[[length(out) + 1]] <- data.frame(group = g, stat = name, evaluated = r[1], met = r[2],
                                             percent = r[3], lo = r[4], hi = r[5],
                                             wpercent = r[6], wlo = r[7], whi = r[8],
                                             wse = r[9], wdf = r[10], neff = r[11])
    }
}
write.csv(do.call(rbind, out), opt("out"), row.names = FALSE, na = "NA")
cat(sprintf("survey.R: %d groups x %d statistics, %d Taylor-linearised logit intervals (survey %s)\n",
            length(groups), nrow(stats), taylor_fits, packageVersion("survey")))

# Copy of /work/shared/peers/gistar_spdep.R for benchmarks/e2e/gistar_vs_spdep.sh.
# Only changes: with GI_DUMP=<file> it also writes the analytic localG z (queen,
# self included) with 17 significant digits, outside the timed phases; and each
# PHASE line is followed by a CPU line (user + system seconds of the phase, forked
# workers of GI_CORES > 1 included once they are collected), so the
# comparison survives a loaded machine.
# Task b: Getis-Ord Gi* on a 100 m grid (200 x 200 cells) with spdep.
#  - aggregate incidents to cell counts (tabulate)
#  - weights: queen contiguity (cell2nb) and distance band 150 m (dnearneigh on cell
#    centres, equivalent to queen), include.self() -> Gi*, binary (style B)
#  - localG (analytical z); if GI_PERM > 0: queen weights only, localG and
#    localG_perm with GI_PERM permutations (spdep 1.2-7: conditional permutation, R-level)
#  (a 300 m band, ~29 neighbours, took 103 s for dnearneigh alone on this machine: left out)
# usage: Rscript gistar_spdep.R incidents_N.csv      env: GI_PERM (default 0), GI_CORES (default 1)
suppressPackageStartupMessages(library(spdep))
args <- commandArgs(TRUE)
nperm <- as.integer(Sys.getenv("GI_PERM", "0"))
cores <- as.integer(Sys.getenv("GI_CORES", "1"))
if (cores > 1) set.coresOption(cores)
t <- proc.time()[[3]]
cpu <- sum(proc.time()[c(1, 2, 4, 5)], na.rm = TRUE)
ph <- function(name) { now <- proc.time()[[3]]; cat(sprintf("PHASE %s %.3f\n", name, now - t)); t <<- now
  cnow <- sum(proc.time()[c(1, 2, 4, 5)], na.rm = TRUE); cat(sprintf("CPU %s %.3f\n", name, cnow - cpu)); cpu <<- cnow }
d <- read.csv(args[1], colClasses = c("NULL", "numeric", "numeric", "NULL", "NULL"))
ph("read_csv")
nc <- 200L; cs <- 100; x0 <- 550000; y0 <- 6690000
ix <- pmin(nc - 1L, as.integer((d$x - x0) %/% cs))
iy <- pmin(nc - 1L, as.integer((d$y - y0) %/% cs))
# cell order: row (iy) major, column (ix) minor -- same as cell2nb(nrow, ncol) order
cnt <- tabulate(iy * nc + ix + 1L, nbins = nc * nc)
ph("aggregate_grid")
nb_q <- include.self(cell2nb(nc, nc, type = "queen"))
lw_q <- nb2listw(nb_q, style = "B")
ph("weights_queen_cell2nb")
xy <- cbind(x0 + cs * (rep(0:(nc - 1L), times = nc) + 0.5), y0 + cs * (rep(0:(nc - 1L), each = nc) + 0.5))
if (nperm == 0) {
nb_d <- include.self(dnearneigh(xy, 0, 150))
lw_d <- nb2listw(nb_d, style = "B")
ph("weights_dband150_dnearneigh")
}
g_q <- localG(cnt, lw_q)
ph("localG_queen")
dump <- Sys.getenv("GI_DUMP", "")
if (nzchar(dump)) {
  writeLines(sprintf("%.17g", as.numeric(g_q)), dump)
  t <- proc.time()[[3]]   # not timed
  cpu <- sum(proc.time()[c(1, 2, 4, 5)], na.rm = TRUE)
}
if (nperm == 0) {
g_d <- localG(cnt, lw_d)
ph("localG_dband150")
cat(sprintf("cells %d, sum %d, max Gi*(queen) %.3f, max Gi*(150) %.3f, n(z>1.96) %d\n",
            length(cnt), sum(cnt), max(g_q), max(g_d), sum(g_q > 1.96)))
}
if (nperm > 0) {
  gp <- localG_perm(cnt, lw_q, nsim = nperm, iseed = 1L)
  ph(sprintf("localG_perm_queen_%d", nperm))
  cat(sprintf("perm: max %.3f, attrs: %s\n", max(gp), paste(names(attributes(gp)), collapse = ",")))
}

# spatstat reference grids for the KDE golden tests (run by make_reference.sh).
# density.ppp, edge = FALSE, eps = 10 over the 400 m x 400 m window of points.csv
# (40 x 40 pixels), kernels quartic / epanechnikov / disc / gaussian, unweighted and
# weighted (column w). spatstat's sigma is the kernel's standard deviation; the support
# radius is 2*sqrt(2)*sigma (quartic), sqrt(6)*sigma (epanechnikov), 2*sigma (disc).
# The sigmas are chosen so that no support radius is a whole number of pixels.
# Each grid is written as little-endian Float32, rows from top (north) to bottom,
# and described by one line of manifest_spatstat.tsv.
# usage: Rscript spatstat_reference.R points.csv outdir
suppressPackageStartupMessages({library(spatstat.geom); library(spatstat.explore)})
args <- commandArgs(TRUE)
d <- read.csv(args[1])
out <- args[2]
W <- owin(c(560000, 560400), c(6700000, 6700400))
X <- ppp(d$x, d$y, window = W, check = FALSE)
stopifnot(npoints(X) == nrow(d), all(inside.owin(d$x, d$y, W)))
sigmas <- c(quartic = 25, epanechnikov = 30, disc = 36.3, gaussian = 25.3)
man <- file.path(out, "manifest_spatstat.tsv")
cat("file\tkernel\tsigma\tweighted\torigin_x\torigin_y\tcell\twidth\theight\tmax\n", file = man)
for (k in names(sigmas)) {
  for (wt in c(FALSE, TRUE)) {
    D <- if (wt) density.ppp(X, sigma = sigmas[[k]], kernel = k, eps = 10, edge = FALSE, weights = d$w)
         else density.ppp(X, sigma = sigmas[[k]], kernel = k, eps = 10, edge = FALSE)
    stopifnot(D$dim[1] == 40, D$dim[2] == 40, abs(D$xstep - 10) < 1e-9, abs(D$ystep - 10) < 1e-9)
    m <- D$v[nrow(D$v):1, , drop = FALSE]         # spatstat rows go south -> north
    f <- sprintf("spatstat_%s_%s.f32", k, if (wt) "weighted" else "unweighted")
    con <- file(file.path(out, f), "wb")
    writeBin(as.vector(t(m)), con, size = 4, endian = "little")
    close(con)
    cat(sprintf("%s\t%s\t%.17g\t%d\t%.17g\t%.17g\t%.17g\t%d\t%d\t%.9g\n", f, k, sigmas[[k]], as.integer(wt),
                D$xrange[1], D$yrange[2], D$xstep, D$dim[2], D$dim[1], max(D$v)),
        file = man, append = TRUE)
  }
}
cat(sprintf("spatstat %s: %d grids\n", packageVersion("spatstat.explore"), 2 * length(sigmas)))

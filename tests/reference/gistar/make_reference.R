# Reference values for trygg's Getis-Ord Gi / Gi* (geo/hotspot/getis_ord.cpp)
# from R spdep (Debian r-cran-spdep 1.2-7). Run ONCE from the repository root:
#   Rscript tests/reference/gistar/make_reference.R
# It writes its own inputs (seeded) and spdep's outputs beside this script.
# Never regenerate these files from trygg's output.
suppressPackageStartupMessages({ library(spdep); library(sf) })
out <- "tests/reference/gistar"
w17 <- function(df, f) write.csv(format(df, digits = 17), file.path(out, f), row.names = FALSE, quote = FALSE)
wnum <- function(df, f) {
  df[] <- lapply(df, function(v) if (is.numeric(v)) sprintf("%.17g", v) else v)
  write.csv(df, file.path(out, f), row.names = FALSE, quote = FALSE)
}
cat("spdep", as.character(packageVersion("spdep")), "\n")

## 1. A 30 x 30 grid of 100 m cells with counts of a seeded clustered point set
set.seed(20240611L)
nc <- 30L; cs <- 100
centres <- cbind(runif(6, 300, 2700), runif(6, 300, 2700))
n_bg <- 400L; n_cl <- 1600L
px <- c(runif(n_bg, 0, nc * cs), rnorm(n_cl, rep(centres[, 1], length.out = n_cl), 180))
py <- c(runif(n_bg, 0, nc * cs), rnorm(n_cl, rep(centres[, 2], length.out = n_cl), 180))
keep <- px >= 0 & px < nc * cs & py >= 0 & py < nc * cs
px <- px[keep]; py <- py[keep]
ix <- as.integer(px %/% cs); iy <- as.integer(py %/% cs)
cnt <- tabulate(iy * nc + ix + 1L, nbins = nc * nc)   # row (iy) major, column (ix) minor
col <- rep(0:(nc - 1L), times = nc); row <- rep(0:(nc - 1L), each = nc)
xy <- cbind(cs * (col + 0.5), cs * (row + 0.5))
grid <- data.frame(id = seq_len(nc * nc) - 1L, col = col, row = row, x = xy[, 1], y = xy[, 2], count = cnt)
wnum(grid, "grid30_counts.csv")

gi <- function(x, lw) { g <- localG(x, lw, return_internals = TRUE); as.numeric(g) }
res <- data.frame(id = grid$id)
# distance band 150 m incl. self (= queen on this grid), binary
res$dband150_star <- gi(cnt, nb2listw(include.self(dnearneigh(xy, 0, 150)), style = "B"))
# distance band 250 m (21 neighbours incl. self), binary, Gi* and Gi
nb250 <- dnearneigh(xy, 0, 250)
res$dband250_star <- gi(cnt, nb2listw(include.self(nb250), style = "B"))
res$dband250_gi <- gi(cnt, nb2listw(nb250, style = "B"))
# exactly 200 m: inclusive band (centres 200 m apart are neighbours)
res$dband200_star <- gi(cnt, nb2listw(include.self(dnearneigh(xy, 0, 200)), style = "B"))
# queen contiguity from cell2nb, incl. self
res$queen_star <- gi(cnt, nb2listw(include.self(cell2nb(nc, nc, type = "queen")), style = "B"))
res$rook_star <- gi(cnt, nb2listw(include.self(cell2nb(nc, nc, type = "rook")), style = "B"))
# row-standardised weights (style W) incl. self: spdep's general formula with S1 = sum w^2
res$dband250_star_W <- gi(cnt, nb2listw(include.self(nb250), style = "W"))
# non-binary weights: inverse distance 100/d on the 250 m band (Gi, no self), and the same
# with row standardisation (style W) -- checks the general variance with S1 = sum w^2
idw <- lapply(nbdists(nb250, xy), function(d) 100 / d)
res$dband250_gi_idw <- gi(cnt, nb2listw(nb250, glist = idw, style = "B"))
res$dband250_gi_idw_W <- gi(cnt, nb2listw(nb250, glist = idw, style = "W"))
wnum(res, "grid30_localG.csv")

## 2. 200 random points with a value: asymmetric k-nearest neighbours (no ties)
set.seed(7L)
np <- 200L
pts <- data.frame(id = seq_len(np) - 1L, x = runif(np, 0, 1000), y = runif(np, 0, 1000))
pts$value <- round(rpois(np, 3 + 6 * exp(-((pts$x - 300)^2 + (pts$y - 600)^2) / 40000)) + runif(np), 6)
wnum(pts, "points200.csv")
pxy <- cbind(pts$x, pts$y)
k6 <- knn2nb(knearneigh(pxy, k = 6))
stopifnot(!is.symmetric.nb(k6))
pres <- data.frame(id = pts$id)
pres$knn6_star <- gi(pts$value, nb2listw(include.self(k6), style = "B"))
pres$knn6_gi <- gi(pts$value, nb2listw(k6, style = "B"))
pres$dband120_star <- gi(pts$value, nb2listw(include.self(dnearneigh(pxy, 0, 120)), style = "B", zero.policy = TRUE))
wnum(pres, "points200_localG.csv")
# the k-nearest neighbour lists themselves (0-based), to check the order of ties and asymmetry
kn <- do.call(rbind, lapply(seq_len(np), function(i) data.frame(i = i - 1L, j = k6[[i]] - 1L)))
write.csv(kn, file.path(out, "points200_knn6.csv"), row.names = FALSE, quote = FALSE)

## 3. Columbus (Anselin 1988) polygons: queen contiguity (poly2nb), CRIME
col_sf <- st_read("/work/shared/data/academic_classic/columbus_neighbourhoods_1980.gpkg", quiet = TRUE)
# vertices of every ring, so the C++ test needs no GDAL
rings <- do.call(rbind, lapply(seq_len(nrow(col_sf)), function(i) {
  g <- st_geometry(col_sf)[[i]]
  polys <- if (inherits(g, "MULTIPOLYGON")) unclass(g) else list(unclass(g))
  do.call(rbind, lapply(seq_along(polys), function(p) do.call(rbind, lapply(seq_along(polys[[p]]), function(r) {
    m <- polys[[p]][[r]]
    data.frame(id = i - 1L, part = p - 1L, ring = r - 1L, x = m[, 1], y = m[, 2])
  }))))
}))
wnum(rings, "columbus_rings.csv")
nbq <- poly2nb(col_sf, queen = TRUE)
nbr <- poly2nb(col_sf, queen = FALSE)
cres <- data.frame(id = seq_len(nrow(col_sf)) - 1L, crime = col_sf$CRIME)
cres$queen_star <- gi(col_sf$CRIME, nb2listw(include.self(nbq), style = "B"))
cres$queen_gi <- gi(col_sf$CRIME, nb2listw(nbq, style = "B"))
cres$rook_star <- gi(col_sf$CRIME, nb2listw(include.self(nbr), style = "B"))
wnum(cres, "columbus_localG.csv")
qn <- do.call(rbind, lapply(seq_along(nbq), function(i) data.frame(i = i - 1L, j = nbq[[i]] - 1L)))
write.csv(qn, file.path(out, "columbus_queen_nb.csv"), row.names = FALSE, quote = FALSE)
rn <- do.call(rbind, lapply(seq_along(nbr), function(i) data.frame(i = i - 1L, j = nbr[[i]] - 1L)))
write.csv(rn, file.path(out, "columbus_rook_nb.csv"), row.names = FALSE, quote = FALSE)

## 4. Global Moran's I (randomisation) on the grid at a 250 m band, for the
##    incremental spatial autocorrelation of the Optimized Hot Spot scale search
mt <- moran.test(cnt, nb2listw(nb250, style = "B"), randomisation = TRUE, alternative = "two.sided")
wnum(data.frame(band = 250, I = mt$estimate[[1]], EI = mt$estimate[[2]], VarI = mt$estimate[[3]],
                z = mt$statistic[[1]]), "grid30_moran250.csv")
mt2 <- moran.test(cnt, nb2listw(dnearneigh(xy, 0, 450), style = "B"), randomisation = TRUE)
wnum(data.frame(band = 450, I = mt2$estimate[[1]], EI = mt2$estimate[[2]], VarI = mt2$estimate[[3]],
                z = mt2$statistic[[1]]), "grid30_moran450.csv")
cat("done\n")

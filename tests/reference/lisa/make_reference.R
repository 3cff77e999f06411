# Reference values for trygg's local Moran's I (geo/hotspot/local_moran.cpp) from R spdep
# (Debian r-cran-spdep 1.2-7) localmoran(). Run ONCE from the repository root, after
# tests/reference/gistar/make_reference.R (it reuses that script's committed grid input):
#   Rscript tests/reference/lisa/make_reference.R
# Never regenerate these files from trygg's output.
suppressPackageStartupMessages({ library(spdep); library(sf) })
out <- "tests/reference/lisa"
wnum <- function(df, f) {
  df[] <- lapply(df, function(v) if (is.numeric(v)) sprintf("%.17g", v) else v)
  write.csv(df, file.path(out, f), row.names = FALSE, quote = FALSE)
}
cat("spdep", as.character(packageVersion("spdep")), "\n")
lm_df <- function(x, lw, prefix, ...) {
  r <- localmoran(x, lw, ...)
  q <- attr(r, "quadr")$pysal
  d <- data.frame(r[, 1], r[, 2], r[, 3], r[, 4], r[, 5], as.character(q))
  names(d) <- paste0(prefix, c("_Ii", "_EIi", "_VarIi", "_ZIi", "_p", "_quadr"))
  d
}
grid <- read.csv("tests/reference/gistar/grid30_counts.csv")
nc <- 30L
xy <- cbind(grid$x, grid$y)
cnt <- grid$count
res <- data.frame(id = grid$id)
# spdep defaults: conditional = TRUE, mlvar = TRUE, two-sided
res <- cbind(res, lm_df(cnt, nb2listw(cell2nb(nc, nc, type = "queen"), style = "W"), "queenW"))
res <- cbind(res, lm_df(cnt, nb2listw(dnearneigh(xy, 0, 250), style = "W"), "band250W"))
# the total (randomisation) variance, conditional = FALSE
res <- cbind(res, lm_df(cnt, nb2listw(dnearneigh(xy, 0, 250), style = "W"), "band250W_total", conditional = FALSE))
# binary weights (style B) to check the formulas do not assume row sums of 1
res <- cbind(res, lm_df(cnt, nb2listw(cell2nb(nc, nc, type = "queen"), style = "B"), "queenB"))
wnum(res, "grid30_localmoran.csv")

col_sf <- st_read("/work/shared/data/academic_classic/columbus_neighbourhoods_1980.gpkg", quiet = TRUE)
nbq <- poly2nb(col_sf, queen = TRUE)
cres <- data.frame(id = seq_len(nrow(col_sf)) - 1L, crime = col_sf$CRIME)
cres <- cbind(cres, lm_df(col_sf$CRIME, nb2listw(nbq, style = "W"), "queenW"))
cres <- cbind(cres, lm_df(col_sf$CRIME, nb2listw(nbq, style = "W"), "queenW_total", conditional = FALSE))
wnum(cres, "columbus_localmoran.csv")
cat("done\n")

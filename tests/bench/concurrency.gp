# gnuplot script for doc/performance-concurrency.svg (tests/bench/plot.sh sets datafile,
# outfile and subtitle): gba-bsf bootstraps per second and their p99 latency against the
# number of concurrent soft UEs of tests/bench/load_gba.
# datafile columns: UEs, bootstraps/s, p50 ms, p99 ms
set terminal svg size 800,450 dynamic font "sans,12" background rgb "white"
set output outfile
set title "gba-bsf: full bootstraps against concurrency\n{/*0.8 ".subtitle."}"
set xlabel "concurrent UEs (keep-alive clients)"
set logscale x 2
set xtics (1, 2, 4, 8, 16, 32, 64)
set xrange [0.8:80]
set ylabel "bootstraps / s"
set y2label "latency (ms)"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set grid xtics ytics
set key left top
plot datafile using 1:2 axes x1y1 with linespoints lw 2 pt 7 title "throughput (bootstraps/s)", \
     datafile using 1:4 axes x1y2 with linespoints lw 2 pt 5 dt 2 title "p99 latency (ms)", \
     datafile using 1:3 axes x1y2 with linespoints lw 1 pt 4 dt 3 title "p50 latency (ms)"

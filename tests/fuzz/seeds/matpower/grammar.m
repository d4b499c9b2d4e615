function mpc = grammar % every construct the reader accepts
mpc.version = '2'; mpc.baseMVA = 1e2;
mpc.bus = [1, 3, 0, 0, 0, 0, 1, 1, 0; 2 1 5.5e1 0 0 0 1 1 0 % bus 2
  3 1 ...  continued
  -0.5 0 2 0 1 1 0 345 1 1.1 0.9
  4 4 10 0 0 0 1 1 0];
mpc.bus_name = { 'it''s [one'; "two]"; 'three'; 'four' };
mpc.gen = [ 1 50 0 Inf -Inf 1 100 1 100 0; 3 10 0 0 0 1 100 0 50 0 ];
mpc.areas = [1 1];
mpc.branch = [
  1 2 0 .1 0 Inf 0 0 0 0 1 -360 360
  2 3 0 1e-1 0 +80 0 0 0.98 -3 1
  1 3 0 0 0 0 0 0 0 0 0
  3 4 0 0.2 0 0 0 0 0 0 1
  2 3 0 -0.05 0 0 0 0 0 0 1
];
end

function mpc = bad_case
% Test fixture: a MATPOWER case whose bus matrix has a word where a number belongs (row 2, column 3).
mpc.baseMVA = 100;
mpc.bus = [
	1	3	0	0	0	0	1	1	0	345	1	1.1	0.9;
	2	1	ninety	0	0	0	1	1	0	345	1	1.1	0.9;
];
mpc.gen = [
	1	100	0	300	-300	1	100	1	250	10;
];
mpc.branch = [
	1	2	0	0.1	0	250	250	250	0	0	1	-360	360;
];

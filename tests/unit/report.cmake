# tests of area report: cyberex report and cyberex whatif

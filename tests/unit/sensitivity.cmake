# tests of area sensitivity (cyberex sensitivity, issue 17): filled in by its implementation

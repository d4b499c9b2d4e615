# tests of area 'generate'

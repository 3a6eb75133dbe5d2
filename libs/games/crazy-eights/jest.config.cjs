/** @type {import('jest').Config} */
module.exports = {
  displayName: 'crazy-eights',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
};

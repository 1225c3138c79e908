#!/usr/bin/env python3
"""The article's pipeline (seed/), as published, for `npm run bench` to time against Dwellmap.

The article has two scripts; they are the two commands here, run as two processes in a working
folder of their own, so every path below is the article's own relative path:

  python3 article_pipeline.py extract CLIP WORKDIR   # script 1: video -> images/<i>.png
  python3 article_pipeline.py heatmap WORKDIR        # script 2: sum |frame - no_people| -> heatmap.png

Faithful to the article: OpenCV VideoCapture reads every frame, every 5th frame is converted to
grey, blurred with an 11x11 box blur and written as a PNG; the second script reads the PNGs back
in numeric order and adds cv2.absdiff(no_people, frame) into a float64 numpy array of 1080x1920,
then draws it with seaborn.heatmap and saves it at dpi=400.

Two things the article leaves to the reader are done the simplest way and said here:
- The "no_people" picture (the article's morning frame "goes through the same preprocess
  function"): the first frame of the clip, preprocessed, saved as no_people.png by script 1.
  Dwellmap's seed method uses the same frame (--reference frame:0).
- If seaborn is not installed, the figure is drawn with matplotlib's imshow and a colorbar (the
  closest equivalent), and the JSON line says so ("figure": "matplotlib-imshow").

Each command prints one JSON line with its own stage timings on stdout.
"""
import json
import os
import sys
import time

import cv2
import numpy as np


def preprocess(img):
    img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)  # Convert to Grayscale
    img = cv2.blur(img, (11, 11))  # Add gaussian blur
    return img


def extract(clip):
    # Script 1 of the article ("Converting Video to Images").
    os.makedirs('images', exist_ok=True)
    vid = cv2.VideoCapture(clip)
    skip = 5

    i = 0
    written = 0
    while True:
        i += 1
        grabbed, frame = vid.read()
        if not grabbed:  # Stop if last frame is done
            break
        if i == 1:
            # The article's no_people image: the opening frame, through the same preprocess.
            cv2.imwrite('no_people.png', preprocess(frame))
        if i % skip:  # Skip frames
            continue
        frame = preprocess(frame)
        cv2.imwrite('images/{}.png'.format(i), frame)  # Save to images folder
        written += 1
    vid.release()
    return {'framesRead': i - 1, 'pngsWritten': written}


def heatmap():
    # Script 2 of the article ("Comparing each frame with a static one").
    no_people = cv2.imread('no_people.png', 0)
    total_usage = np.zeros((1080, 1920))

    img_locs = os.listdir('images')
    img_locs.sort(key=lambda f: int(''.join(filter(str.isdigit, f))))

    t0 = time.perf_counter()
    for img_loc in img_locs:
        frame = cv2.imread('images/{}'.format(img_loc), 0)
        total_usage += cv2.absdiff(no_people, frame)
    t1 = time.perf_counter()

    try:
        import seaborn
        figure = 'seaborn'
        map = seaborn.heatmap(total_usage).get_figure().savefig('heatmap.png', dpi=400)
    except ImportError:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        figure = 'matplotlib-imshow'
        fig, ax = plt.subplots()
        im = ax.imshow(total_usage)
        fig.colorbar(im)
        fig.savefig('heatmap.png', dpi=400)
    t2 = time.perf_counter()
    return {
        'pngsRead': len(img_locs),
        'sumSeconds': t1 - t0,
        'figureSeconds': t2 - t1,
        'figure': figure,
        'max': float(total_usage.max()),
    }


def main(argv):
    started = time.perf_counter()
    if len(argv) == 4 and argv[1] == 'extract':
        clip = os.path.abspath(argv[2])
        os.makedirs(argv[3], exist_ok=True)
        os.chdir(argv[3])
        out = extract(clip)
    elif len(argv) == 3 and argv[1] == 'heatmap':
        os.chdir(argv[2])
        out = heatmap()
    else:
        sys.stderr.write('usage: article_pipeline.py extract CLIP WORKDIR | heatmap WORKDIR\n')
        return 2
    out['seconds'] = time.perf_counter() - started
    print(json.dumps(out))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
